import { useRef, useState } from 'react';
import { useT, type Translate } from '../../i18n';
import { Button, CheckboxField, ErrorAlert, Panel } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useAttachments, useDeleteAttachment, useUpload } from './api';

const tenths = (n: number) => Math.round(n * 10) / 10;
const size = (t: Translate, n: number): string =>
  n < 1024
    ? t('files.bytes', { n })
    : n < 1024 * 1024
      ? t('files.kib', { n: tenths(n / 1024) })
      : t('files.mib', { n: tenths(n / 1048576) });

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
  const t = useT();
  const me = useCurrentUser();
  const list = useAttachments(ticketId);
  const send = useUpload(ticketId);
  const remove = useDeleteAttachment(ticketId);
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [internal, setInternal] = useState(false);
  const items = list.data ?? [];
  return (
    <Panel title={t('attachments.title')}>
      <div className="stack-sm">
        <ErrorAlert error={list.error ?? send.error ?? remove.error} />
        {items.length === 0 ? (
          <p className="muted">{t('attachments.none')}</p>
        ) : (
          <ul className="plain-list" aria-label={t('attachments.title')}>
            {items.map((a) => (
              <li key={a.id}>
                <a href={a.downloadUrl} download={a.fileName}>
                  {a.fileName}
                </a>{' '}
                <span className="muted">
                  {size(t, a.size)}
                  {a.internal ? t('attachments.internalSuffix') : ''}
                </span>
                {!final && (agent || a.uploaderId === me.id) && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('attachments.delete', { name: a.fileName })}
                    busy={remove.isPending && remove.variables === a.id}
                    onClick={() => remove.mutate(a.id)}
                  >
                    {t('common.delete')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!final && (
          <div className="inline-form">
            <label className="field">
              <span className="field-label">{t('attachments.add')}</span>
              <input
                ref={input}
                type="file"
                multiple
                onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
              />
            </label>
            {agent && (
              <CheckboxField
                label={t('attachments.internal')}
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
              {t('attachments.upload')}
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}
