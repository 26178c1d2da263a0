import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TicketStatus } from '@contracts';
import { useT } from '../../i18n';
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
  const t = useT();
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
          setSent(status === 'resolved' ? t('composer.resolved') : null);
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
      aria-label={allowInternal ? t('composer.replyOrNote') : t('composer.reply')}
    >
      {allowInternal && <MacroPicker ticketId={ticketId} />}
      {allowInternal && (
        <div className="segmented" role="radiogroup" aria-label={t('composer.kind')}>
          <label>
            <input type="radio" name="kind" checked={!internal} onChange={() => setInternal(false)} />
            {t('composer.public')}
          </label>
          <label>
            <input type="radio" name="kind" checked={internal} onChange={() => setInternal(true)} />
            {t('composer.internal')}
          </label>
        </div>
      )}
      {errors.body === undefined && <ErrorAlert error={add.error} title={t('composer.notSent')} />}
      {sent !== null && <Alert tone="success">{sent}</Alert>}
      <MarkdownField
        label={internal ? t('composer.noteLabel') : t('composer.replyLabel')}
        value={body}
        onChange={setBody}
        onKeyDown={onKeyDown}
        error={errors.body}
        hint={t('composer.hint')}
        rows={4}
      />
      <div className="form-actions">
        <Button
          type="submit"
          variant={internal ? 'secondary' : 'primary'}
          busy={add.isPending && add.variables.status === undefined}
          disabled={!writing}
        >
          {internal ? t('composer.addNote') : t('composer.send')}
        </Button>
        {allowInternal && canResolve && (
          <Button
            type="button"
            variant="secondary"
            busy={add.isPending && add.variables.status === 'resolved'}
            disabled={!writing}
            onClick={() => send('resolved')}
          >
            {internal ? t('composer.noteResolve') : t('composer.sendResolve')}
          </Button>
        )}
      </div>
    </form>
  );
}
