import { useRef, useState } from 'react';
import { Button, CheckboxField, ErrorAlert, Panel } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useAttachments, useDeleteAttachment, useUpload } from './api';

const size = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;

/**
 * The files of a ticket: download links, an upload (several files at once), and delete for the uploader or
 * an agent. Agents may upload internal files, which requesters never see.
 */
export function AttachmentsPanel({
  ticketId,
  final,
  agent,
}: {
  ticketId: string;
  final: boolean;
  agent: boolean;
}) {
  const me = useCurrentUser();
  const list = useAttachments(ticketId);
  const send = useUpload(ticketId);
  const remove = useDeleteAttachment(ticketId);
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [internal, setInternal] = useState(false);
  const items = list.data ?? [];
  return (
    <Panel title="Attachments">
      <div className="stack-sm">
        <ErrorAlert error={list.error ?? send.error ?? remove.error} />
        {items.length === 0 ? (
          <p className="muted">No files.</p>
        ) : (
          <ul className="plain-list" aria-label="Attachments">
            {items.map((a) => (
              <li key={a.id}>
                <a href={a.downloadUrl} download={a.fileName}>
                  {a.fileName}
                </a>{' '}
                <span className="muted">
                  {size(a.size)}
                  {a.internal ? ' · internal' : ''}
                </span>
                {!final && (agent || a.uploaderId === me.id) && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Delete ${a.fileName}`}
                    busy={remove.isPending && remove.variables === a.id}
                    onClick={() => remove.mutate(a.id)}
                  >
                    Delete
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!final && (
          <div className="inline-form">
            <label className="field">
              <span className="field-label">Add files</span>
              <input
                ref={input}
                type="file"
                multiple
                onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
              />
            </label>
            {agent && (
              <CheckboxField
                label="Internal (agents only)"
                checked={internal}
                onChange={(e) => setInternal(e.target.checked)}
              />
            )}
            <Button
              size="sm"
              disabled={files.length === 0}
              busy={send.isPending}
              onClick={() =>
                send.mutate(
                  { files, internal },
                  {
                    onSuccess: () => {
                      setFiles([]);
                      if (input.current) input.current.value = '';
                    },
                  },
                )
              }
            >
              Upload
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}
