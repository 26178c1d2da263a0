import { useState, type FormEvent } from 'react';
import type { NotificationTemplate } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  Badge,
  Button,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  StaleAlert,
  TextAreaField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { EVENT_LABEL, PrefsPanel } from '../notifications/NotificationsPage';
import { useSaveTemplate, useTemplates } from './api';

const PLACEHOLDERS =
  '{{ticket.key}}, {{ticket.title}}, {{ticket.status}}, {{ticket.priority}}, {{ticket.url}}, {{actor}}, {{comment}}, {{clock}}, {{dueAt}}, {{recipient}}';

/** One event's subject and text. */
function TemplateForm({ t, onDone }: { t: NotificationTemplate; onDone: () => void }) {
  const save = useSaveTemplate();
  const [subject, setSubject] = useState(t.subject);
  const [body, setBody] = useState(t.body);
  const { bind, summary } = useFieldErrors(save.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ t, body: { subject, body } }, { onSuccess: onDone });
  };
  return (
    <form
      className="form form-wide"
      onSubmit={send}
      noValidate
      aria-label={`Message for ${EVENT_LABEL[t.event]}`}
    >
      {isApiError(save.error, 'stale') ? (
        <StaleAlert what="message" onReload={onDone} />
      ) : (
        <FormError error={summary} title="Not saved" />
      )}
      <TextField label="Subject" maxLength={300} {...bind('subject', subject, setSubject)} />
      <TextAreaField
        label="Text"
        className="template-body"
        rows={8}
        hint={`You can use ${PLACEHOLDERS}.`}
        {...bind('body', body, setBody)}
      />
      <FormActions submit="Save message" busy={save.isPending}>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}

/** Notifications: the message sent for each event (admins), and the signed-in person's own channels. */
export function NotificationsSection() {
  const templates = useTemplates();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Notifications" description="The messages Steward sends, in the app and by e-mail." />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <Panel title="Messages" padded={false}>
          {templates.isPending ? (
            <Loading />
          ) : templates.isError ? (
            <ErrorAlert error={templates.error} title="The messages could not be loaded" />
          ) : (
            <ul className="rule-list" aria-label="Messages">
              {templates.data.map((t) => (
                <li key={t.event}>
                  {editing === t.event ? (
                    <TemplateForm
                      key={t.version}
                      t={t}
                      onDone={() => {
                        setEditing(null);
                        setNotice(`The message for ${EVENT_LABEL[t.event].toLowerCase()} was saved.`);
                        void templates.refetch();
                      }}
                    />
                  ) : (
                    <>
                      <div className="rule-summary">
                        <strong>{EVENT_LABEL[t.event]}</strong>{' '}
                        {t.custom ? <Badge tone="primary">Changed</Badge> : <Badge>Built in</Badge>}
                        <p className="muted">{t.subject}</p>
                      </div>
                      <Button
                        size="sm"
                        onClick={() => {
                          setNotice(null);
                          setEditing(t.event);
                        }}
                        aria-label={`Edit the message for ${EVENT_LABEL[t.event]}`}
                      >
                        Edit
                      </Button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <PrefsPanel />
      </div>
    </>
  );
}
