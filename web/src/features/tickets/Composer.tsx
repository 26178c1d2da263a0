import { useState, type FormEvent } from 'react';
import { Button, ErrorAlert, fieldErrorsOf } from '../../ui';
import { MarkdownField } from '../../ui/Markdown';
import { useAddComment } from './api';

/**
 * The reply box. Agents choose between a public reply and an internal note; the choice colours the box so
 * that a note is not sent to the requester by mistake.
 */
export function Composer({ ticketId, allowInternal }: { ticketId: string; allowInternal: boolean }) {
  const add = useAddComment(ticketId);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ body, internal }, { onSuccess: () => setBody('') });
  };
  const errors = fieldErrorsOf(add.error);
  return (
    <form
      className={internal ? 'composer is-internal' : 'composer'}
      onSubmit={onSubmit}
      noValidate
      aria-label={allowInternal ? 'Reply or note' : 'Reply'}
    >
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
      <MarkdownField
        label={internal ? 'Internal note (agents only)' : 'Your reply'}
        value={body}
        onChange={setBody}
        error={errors.body}
        rows={4}
      />
      <div className="form-actions">
        <Button
          type="submit"
          variant={internal ? 'secondary' : 'primary'}
          busy={add.isPending}
          disabled={body.trim() === ''}
        >
          {internal ? 'Add internal note' : 'Send reply'}
        </Button>
      </div>
    </form>
  );
}
