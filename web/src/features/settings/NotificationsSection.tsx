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
import { useT } from '../../i18n';

const PLACEHOLDERS =
  '{{ticket.key}}, {{ticket.title}}, {{ticket.status}}, {{ticket.priority}}, {{ticket.url}}, {{actor}}, {{comment}}, {{clock}}, {{dueAt}}, {{recipient}}';

/** One event's subject and text. */
function TemplateForm({ template, onDone }: { template: NotificationTemplate; onDone: () => void }) {
  const t = useT();
  const save = useSaveTemplate();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const { bind, summary } = useFieldErrors(save.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ t: template, body: { subject, body } }, { onSuccess: onDone });
  };
  return (
    <form
      className="form form-wide"
      onSubmit={send}
      noValidate
      aria-label={t('templates.messageFor', { event: t(EVENT_LABEL[template.event]) })}
    >
      {isApiError(save.error, 'stale') ? (
        <StaleAlert what={t('what.message')} onReload={onDone} />
      ) : (
        <FormError error={summary} title={t('users.notSaved')} />
      )}
      <TextField label={t('templates.subject')} maxLength={300} {...bind('subject', subject, setSubject)} />
      <TextAreaField
        label={t('templates.text')}
        className="template-body"
        rows={8}
        hint={t('templates.hint', { placeholders: PLACEHOLDERS })}
        {...bind('body', body, setBody)}
      />
      <FormActions submit={t('templates.save')} busy={save.isPending}>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}

/** Notifications: the message sent for each event (admins), and the signed-in person's own channels. */
export function NotificationsSection() {
  const t = useT();
  const templates = useTemplates();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('settings.section.notifications')} description={t('templates.description')} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <Panel title={t('templates.messages')} padded={false}>
          {templates.isPending ? (
            <Loading />
          ) : templates.isError ? (
            <ErrorAlert error={templates.error} title={t('templates.loadFailed')} />
          ) : (
            <ul className="rule-list" aria-label={t('templates.messages')}>
              {templates.data.map((tpl) => (
                <li key={tpl.event}>
                  {editing === tpl.event ? (
                    <TemplateForm
                      key={tpl.version}
                      template={tpl}
                      onDone={() => {
                        setEditing(null);
                        setNotice(t('templates.saved', { event: t(EVENT_LABEL[tpl.event]) }));
                        void templates.refetch();
                      }}
                    />
                  ) : (
                    <>
                      <div className="rule-summary">
                        <strong>{t(EVENT_LABEL[tpl.event])}</strong>{' '}
                        {tpl.custom ? (
                          <Badge tone="primary">{t('templates.changed')}</Badge>
                        ) : (
                          <Badge>{t('templates.builtIn')}</Badge>
                        )}
                        <p className="muted">{tpl.subject}</p>
                      </div>
                      <Button
                        size="sm"
                        onClick={() => {
                          setNotice(null);
                          setEditing(tpl.event);
                        }}
                        aria-label={t('templates.edit', { event: t(EVENT_LABEL[tpl.event]) })}
                      >
                        {t('common.edit')}
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
