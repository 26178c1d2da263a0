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
import './cmdb.css';

const EXPIRY = [
  { hours: '1', label: '1 hour' },
  { hours: '24', label: '1 day' },
  { hours: '168', label: '1 week' },
  { hours: '720', label: '30 days' },
];

/** The command that enrols a machine with a token (the server is this page's own origin). */
export function enrolCommand(origin: string, token: string): string {
  return `steward agent enrol --server ${origin} --token ${token}`;
}

/** Making an enrolment token; the new token and its command are shown once. */
function EnrolmentTokenPanel() {
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
      { onSuccess: (t) => setMade(t) },
    );
  };
  return (
    <Panel title="Enrol machines">
      <div className="stack-sm">
        {made !== null && (
          <SecretBox
            title="Enrolment token created"
            label="Enrolment command"
            secret={enrolCommand(window.location.origin, made.token)}
            onDone={() => setMade(null)}
          >
            <p className="field-hint">
              Run the command on each machine to enrol. The token works {made.usesLeft}{' '}
              {made.usesLeft === 1 ? 'time' : 'times'}, until {formatDateTime(made.expiresAt)}; then start the
              agent with <code>steward agent run</code>.
            </p>
          </SecretBox>
        )}
        <form className="form" onSubmit={submit} noValidate aria-label="Create an enrolment token">
          <FormError error={create.error} title="The token was not created" />
          <TextField
            label="Note"
            hint="What the token is for, e.g. “office laptops”"
            maxLength={200}
            {...bind('note', note, setNote)}
          />
          <div className="form-row">
            <TextField label="Machines it may enrol" inputMode="numeric" {...bind('uses', uses, setUses)} />
            <SelectField label="Valid for" {...bind('expiresInHours', hours, setHours)}>
              {EXPIRY.map((x) => (
                <option key={x.hours} value={x.hours}>
                  {x.label}
                </option>
              ))}
            </SelectField>
          </div>
          <FormActions submit="Create enrolment token" busy={create.isPending} />
        </form>
      </div>
    </Panel>
  );
}

/** Discovery agents (admins): enrolment tokens, and the enrolled machines with their last report; revoke. */
export function AgentsPage() {
  const agents = useAgents();
  const revoke = useRevokeAgent();
  return (
    <>
      <PageHeader
        title="Discovery agents"
        back={{ to: '/inventory', label: 'Inventory' }}
        description="Agents report each machine's hardware and software, and keep the inventory current."
      />
      <div className="stack">
        <EnrolmentTokenPanel />
        <Panel title="Enrolled machines" padded={false}>
          {revoke.error !== null && (
            <div className="panel-body">
              <ErrorAlert error={revoke.error} title="The agent was not revoked" />
            </div>
          )}
          <ListTable
            query={agents}
            label="Agents"
            noun="agents"
            empty="No machine is enrolled yet."
            rowKey={(a) => a.id}
            columns={[
              {
                header: 'Machine',
                className: 'cell-title',
                cell: (a) => (
                  <>
                    {a.ciId !== null ? <Link to={itemPath(a.ciId)}>{a.hostname}</Link> : a.hostname}
                    <div className="muted mono">{a.systemUuid}</div>
                  </>
                ),
              },
              {
                header: 'Last report',
                className: 'cell-when',
                cell: (a) => (a.lastReportAt === null ? 'Never' : formatDateTime(a.lastReportAt)),
              },
              {
                header: 'Enrolled',
                className: 'cell-when',
                wide: true,
                cell: (a) => formatDateTime(a.createdAt),
              },
              {
                header: 'State',
                cell: (a) =>
                  a.revokedAt === null ? <Badge tone="success">Active</Badge> : <Badge>Revoked</Badge>,
              },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (a) =>
                  a.revokedAt === null && (
                    <ConfirmButton
                      busy={revoke.isPending && revoke.variables === a.id}
                      confirmLabel={`Confirm: revoke ${a.hostname}`}
                      onConfirm={() => revoke.mutate(a.id)}
                    >
                      Revoke
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
