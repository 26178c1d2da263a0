import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TicketStatus } from '@contracts';
import { Alert, Button, ErrorAlert, fieldErrorsOf } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useShortcut } from '../../app/Shortcuts';
import { useAddComment } from './api';
import { MacroPicker } from './MacroPicker';

/**
 * The reply box. Agents choose between a public reply and an internal note; the choice colours the box so
 * that a note is not sent to the requester by mistake. Agents also get "Send and resolve" (one step), their
 * macros, and the keys: `r` to start, Ctrl+Enter to send, Ctrl+Shift+Enter to send and resolve.
 */
export function Composer({
  ticketId,
  allowInternal,
  canResolve = false,
  onReplying,
}: {
  ticketId: string;
  allowInternal: boolean;
  /** The ticket may move to resolved now (agents). */
  canResolve?: boolean;
  /** Told whether a reply is being written (presence). */
  onReplying?: (replying: boolean) => void;
}) {
  const add = useAddComment(ticketId);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const writing = body.trim() !== '';
  useEffect(() => onReplying?.(writing), [writing, onReplying]);
  useShortcut('r', () => document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus());
  const send = (status?: TicketStatus) => {
    if (!writing || add.isPending) return;
    add.mutate(
      { body, internal, ...(status ? { status } : {}) },
      {
        onSuccess: () => {
          setBody('');
          setSent(status === 'resolved' ? 'Sent, and the ticket is resolved.' : null);
        },
      },
    );
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    send(e.shiftKey && canResolve && allowInternal ? 'resolved' : undefined);
  };
  const errors = fieldErrorsOf(add.error);
  return (
    <form
      className={internal ? 'composer is-internal' : 'composer'}
      onSubmit={onSubmit}
      noValidate
      aria-label={allowInternal ? 'Reply or note' : 'Reply'}
    >
      {allowInternal && <MacroPicker ticketId={ticketId} />}
      {allowInternal && (
        <div className="segmented" role="radiogroup" aria-label="Kind of message">
          <label>
            <input type="radio" name="kind" checked={!internal} onChange={() => setInternal(false)} />
            Public reply
          </label>
          <label>
            <input type="radio" name="kind" checked={internal} onChange={() => setInternal(true)} />
            Internal note
          </label>
        </div>
      )}
      {errors.body === undefined && <ErrorAlert error={add.error} title="Not sent" />}
      {sent !== null && <Alert tone="success">{sent}</Alert>}
      <MarkdownField
        label={internal ? 'Internal note (agents only)' : 'Your reply'}
        value={body}
        onChange={setBody}
        onKeyDown={onKeyDown}
        error={errors.body}
        hint="Markdown: **bold**, _italic_, `code`, lists and links. Ctrl+Enter sends."
        rows={4}
      />
      <div className="form-actions">
        <Button
          type="submit"
          variant={internal ? 'secondary' : 'primary'}
          busy={add.isPending && add.variables.status === undefined}
          disabled={!writing}
        >
          {internal ? 'Add internal note' : 'Send reply'}
        </Button>
        {allowInternal && canResolve && (
          <Button
            type="button"
            variant="secondary"
            busy={add.isPending && add.variables.status === 'resolved'}
            disabled={!writing}
            onClick={() => send('resolved')}
          >
            {internal ? 'Add note and resolve' : 'Send and resolve'}
          </Button>
        )}
      </div>
    </form>
  );
}
