import { useState, type FormEvent } from 'react';
import type { CreatedToken } from '@contracts';
import { ApiError } from '../../api/client';
import {
  Badge,
  Button,
  ConfirmButton,
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  formatDate,
  formatDateTime,
} from '../../ui';
import { tokenStatus, useCreateToken, useRevokeToken, useTokens } from './api';
import { SecretBox } from './SecretBox';

const EXPIRY_OPTIONS = [
  { days: '30', label: '30 days' },
  { days: '90', label: '90 days' },
  { days: '365', label: '1 year' },
  { days: '', label: 'Never' },
] as const;

/** The caller's personal API tokens: create (secret shown once), list, revoke. */
export function TokensPage() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<string>('90');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, ...(days === '' ? {} : { expiresInDays: Number(days) }) },
      {
        onSuccess: (t) => {
          setCreated(t);
          setName('');
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens let scripts and the command line act as you. Treat them like passwords."
      />
      <div className="stack">
        {created !== null && (
          <SecretBox
            title={`Token “${created.name}” created`}
            secret={created.token}
            onDone={() => setCreated(null)}
          />
        )}
        <Panel title="Create a token">
          <form className="form" onSubmit={onSubmit} noValidate aria-label="Create a token">
            {Object.keys(fieldErrors).length === 0 && (
              <ErrorAlert error={create.error} title="The token was not created" />
            )}
            <div className="form-row">
              <TextField
                label="Name"
                placeholder="e.g. backup script on nas01"
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={fieldErrors.name}
                required
              />
              <SelectField
                label="Expires after"
                value={days}
                onChange={(e) => setDays(e.target.value)}
                error={fieldErrors.expiresInDays}
              >
                {EXPIRY_OPTIONS.map((o) => (
                  <option key={o.label} value={o.days}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={create.isPending}>
                Create token
              </Button>
            </div>
          </form>
        </Panel>
        <Panel title="Your tokens" padded={false}>
          <ErrorAlert error={revoke.error} title="The token was not revoked" />
          {tokens.isPending ? (
            <Loading />
          ) : tokens.isError ? (
            <div className="panel-body">
              <ErrorAlert error={tokens.error} title="The tokens could not be loaded" />
            </div>
          ) : tokens.data.length === 0 ? (
            <Empty>You have no API tokens.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="API tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col" className="hide-narrow">
                      Prefix
                    </th>
                    <th scope="col" className="hide-narrow">
                      Created
                    </th>
                    <th scope="col">Expires</th>
                    <th scope="col" className="hide-narrow">
                      Last used
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.data.map((t) => {
                    const status = tokenStatus(t);
                    return (
                      <tr key={t.id}>
                        <td className="cell-strong">{t.name}</td>
                        <td className="hide-narrow mono">{t.prefix}…</td>
                        <td className="hide-narrow">{formatDate(t.createdAt)}</td>
                        <td>{t.expiresAt === null ? 'Never' : formatDate(t.expiresAt)}</td>
                        <td className="hide-narrow">
                          {t.lastUsedAt === null ? 'Never' : formatDateTime(t.lastUsedAt)}
                        </td>
                        <td>
                          {status === 'active' ? (
                            <Badge tone="success">Active</Badge>
                          ) : status === 'revoked' ? (
                            <Badge tone="danger">Revoked</Badge>
                          ) : (
                            <Badge>Expired</Badge>
                          )}
                        </td>
                        <td className="cell-actions">
                          {status === 'active' && (
                            <ConfirmButton
                              busy={revoke.isPending && revoke.variables === t.id}
                              confirmLabel="Confirm revoke"
                              onConfirm={() => revoke.mutate(t.id)}
                            >
                              Revoke
                            </ConfirmButton>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
