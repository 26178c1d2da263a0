import { useState, type FormEvent } from 'react';
import type { Ticket } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Button,
  FormActions,
  FormError,
  Panel,
  StaleAlert,
  TextField,
  binder,
  fieldErrorsOf,
} from '../../ui';
import { Markdown, MarkdownField } from '../../ui/Markdown';
import { useT } from '../../i18n';
import { useUpdateTicket } from './api';
import { isFinal } from './labels';

/**
 * The description, rendered; agents may edit the title and description in place. The edit is sent with the
 * ETag it started from, so an edit over someone else's newer save is refused with a clear message.
 */
export function DescriptionPanel({
  ticket,
  etag,
  onReload,
}: {
  ticket: Ticket;
  etag: string;
  onReload: () => void;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  return (
    <Panel
      title={t('description.title')}
      actions={
        !editing &&
        !isFinal(ticket.status) && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        )
      }
    >
      {editing ? (
        <EditForm ticket={ticket} etag={etag} onReload={onReload} onDone={() => setEditing(false)} />
      ) : (
        <Markdown source={ticket.description} />
      )}
    </Panel>
  );
}

function EditForm({
  ticket,
  etag,
  onReload,
  onDone,
}: {
  ticket: Ticket;
  etag: string;
  onReload: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const update = useUpdateTicket(ticket.id);
  const [title, setTitle] = useState(ticket.title);
  const [description, setDescription] = useState(ticket.description);
  const bind = binder(update.error);
  const stale = isApiError(update.error, 'stale');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const patch = {
      ...(title !== ticket.title ? { title } : {}),
      ...(description !== ticket.description ? { description } : {}),
    };
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate({ patch, etag }, { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={t('description.edit')}>
      {stale ? (
        <StaleAlert
          what={t('what.ticket')}
          onReload={() => {
            update.reset();
            onReload();
            onDone();
          }}
        />
      ) : (
        <FormError error={update.error} title={t('description.notSaved')} />
      )}
      <TextField
        label={t('description.ticketTitle')}
        required
        maxLength={200}
        {...bind('title', title, setTitle)}
      />
      <MarkdownField
        label={t('description.title')}
        value={description}
        onChange={setDescription}
        error={fieldErrorsOf(update.error).description}
        rows={8}
      />
      <FormActions submit={t('common.save')} busy={update.isPending}>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}
