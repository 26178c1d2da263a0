import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import {
  Badge,
  ConfirmButton,
  ErrorAlert,
  FormActions,
  FormError,
  ListTable,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  binder,
  formatDateTime,
} from '../../ui';
import { SecretBox } from '../tokens/SecretBox';
import { useAgents, useCreateEnrolmentToken, useRevokeAgent, type NewEnrolmentToken } from './adminApi';
import { itemPath } from './parts';
import { useT } from '../../i18n';
import { Message } from '../../i18n/Message';
import './cmdb.css';

const EXPIRY = [
  { hours: '1', label: 'cmdb.agents.hour' },
  { hours: '24', label: 'cmdb.agents.day' },
  { hours: '168', label: 'cmdb.agents.week' },
  { hours: '720', label: 'cmdb.agents.days30' },
] as const;

/** The command that enrols a machine with a token (the server is this page's own origin). */
export function enrolCommand(origin: string, token: string): string {
  return `steward agent enrol --server ${origin} --token ${token}`;
}

/** Making an enrolment token; the new token and its command are shown once. */
function EnrolmentTokenPanel() {
  const t = useT();
  const create = useCreateEnrolmentToken();
  const [note, setNote] = useState('');
  const [uses, setUses] = useState('1');
  const [hours, setHours] = useState('24');
  const [made, setMade] = useState<NewEnrolmentToken | null>(null);
  const bind = binder(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(uses);
    create.mutate(
      { note, uses: Number.isInteger(n) ? n : -1, expiresInHours: Number(hours) },
      { onSuccess: (token) => setMade(token) },
    );
  };
  return (
    <Panel title={t('cmdb.agents.enrol')}>
      <div className="stack-sm">
        {made !== null && (
          <SecretBox
            title={t('cmdb.agents.tokenCreated')}
            label={t('cmdb.agents.command')}
            secret={enrolCommand(window.location.origin, made.token)}
            onDone={() => setMade(null)}
          >
            <p className="field-hint">
              <Message
                id="cmdb.agents.runCommand"
                values={{
                  count: made.usesLeft,
                  until: formatDateTime(made.expiresAt),
                  command: <code>steward agent run</code>,
                }}
              />
            </p>
          </SecretBox>
        )}
        <form className="form" onSubmit={submit} noValidate aria-label={t('cmdb.agents.createToken')}>
          <FormError error={create.error} title={t('cmdb.agents.notCreated')} />
          <TextField
            label={t('cmdb.agents.note')}
            hint={t('cmdb.agents.noteHint')}
            maxLength={200}
            {...bind('note', note, setNote)}
          />
          <div className="form-row">
            <TextField label={t('cmdb.agents.uses')} inputMode="numeric" {...bind('uses', uses, setUses)} />
            <SelectField label={t('cmdb.agents.validFor')} {...bind('expiresInHours', hours, setHours)}>
              {EXPIRY.map((x) => (
                <option key={x.hours} value={x.hours}>
                  {t(x.label)}
                </option>
              ))}
            </SelectField>
          </div>
          <FormActions submit={t('cmdb.agents.create')} busy={create.isPending} />
        </form>
      </div>
    </Panel>
  );
}

/** Discovery agents (admins): enrolment tokens, and the enrolled machines with their last report; revoke. */
export function AgentsPage() {
  const t = useT();
  const agents = useAgents();
  const revoke = useRevokeAgent();
  return (
    <>
      <PageHeader
        title={t('cmdb.agents.title')}
        back={{ to: '/inventory', label: t('cmdb.inventory') }}
        description={t('cmdb.agents.about')}
      />
      <div className="stack">
        <EnrolmentTokenPanel />
        <Panel title={t('cmdb.agents.enrolled')} padded={false}>
          {revoke.error !== null && (
            <div className="panel-body">
              <ErrorAlert error={revoke.error} title={t('cmdb.agents.notRevoked')} />
            </div>
          )}
          <ListTable
            query={agents}
            label={t('cmdb.agents')}
            noun={t('cmdb.agents.noun')}
            empty={t('cmdb.agents.none')}
            rowKey={(a) => a.id}
            columns={[
              {
                header: t('cmdb.agents.machine'),
                className: 'cell-title',
                cell: (a) => (
                  <>
                    {a.ciId !== null ? <Link to={itemPath(a.ciId)}>{a.hostname}</Link> : a.hostname}
                    <div className="muted mono">{a.systemUuid}</div>
                  </>
                ),
              },
              {
                header: t('cmdb.agents.lastReport'),
                className: 'cell-when',
                cell: (a) =>
                  a.lastReportAt === null ? t('cmdb.agents.never') : formatDateTime(a.lastReportAt),
              },
              {
                header: t('cmdb.agents.enrolledAt'),
                className: 'cell-when',
                wide: true,
                cell: (a) => formatDateTime(a.createdAt),
              },
              {
                header: t('cmdb.agents.state'),
                cell: (a) =>
                  a.revokedAt === null ? (
                    <Badge tone="success">{t('common.active')}</Badge>
                  ) : (
                    <Badge>{t('cmdb.agents.revoked')}</Badge>
                  ),
              },
              {
                header: <span className="visually-hidden">{t('cmdb.actions')}</span>,
                cell: (a) =>
                  a.revokedAt === null && (
                    <ConfirmButton
                      busy={revoke.isPending && revoke.variables === a.id}
                      confirmLabel={t('cmdb.agents.confirmRevoke', { name: a.hostname })}
                      onConfirm={() => revoke.mutate(a.id)}
                    >
                      {t('cmdb.agents.revoke')}
                    </ConfirmButton>
                  ),
              },
            ]}
          />
        </Panel>
      </div>
    </>
  );
}
