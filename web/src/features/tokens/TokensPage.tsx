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
import { type Translate, useT } from '../../i18n';

const EXPIRY_OPTIONS = ['30', '90', '365', ''] as const;

/** An expiry choice in words: "30 days", "1 year", "Never". */
function expiryLabel(days: (typeof EXPIRY_OPTIONS)[number], t: Translate): string {
  if (days === '') return t('tokens.never');
  if (days === '365') return t('tokens.oneYear');
  return t('tokens.days', { count: Number(days) });
}

/** The caller's personal API tokens: create (secret shown once), list, revoke. */
export function TokensPage() {
  const t = useT();
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
        onSuccess: (token) => {
          setCreated(token);
          setName('');
        },
      },
    );
  };

  return (
    <>
      <PageHeader title={t('tokens.title')} description={t('tokens.description')} />
      <div className="stack">
        {created !== null && (
          <SecretBox
            title={t('tokens.created', { name: created.name })}
            secret={created.token}
            onDone={() => setCreated(null)}
          />
        )}
        <Panel title={t('tokens.createTitle')}>
          <form className="form" onSubmit={onSubmit} noValidate aria-label={t('tokens.createTitle')}>
            {Object.keys(fieldErrors).length === 0 && (
              <ErrorAlert error={create.error} title={t('tokens.notCreated')} />
            )}
            <div className="form-row">
              <TextField
                label={t('common.name')}
                placeholder={t('tokens.namePlaceholder')}
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={fieldErrors.name}
                required
              />
              <SelectField
                label={t('tokens.expiresAfter')}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                error={fieldErrors.expiresInDays}
              >
                {EXPIRY_OPTIONS.map((d) => (
                  <option key={d} value={d}>
                    {expiryLabel(d, t)}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={create.isPending}>
                {t('tokens.create')}
              </Button>
            </div>
          </form>
        </Panel>
        <Panel title={t('tokens.yours')} padded={false}>
          <ErrorAlert error={revoke.error} title={t('tokens.notRevoked')} />
          {tokens.isPending ? (
            <Loading />
          ) : tokens.isError ? (
            <div className="panel-body">
              <ErrorAlert error={tokens.error} title={t('tokens.loadFailed')} />
            </div>
          ) : tokens.data.length === 0 ? (
            <Empty>{t('tokens.none')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('tokens.title')}>
                <thead>
                  <tr>
                    <th scope="col">{t('common.name')}</th>
                    <th scope="col" className="hide-narrow">
                      {t('tokens.prefix')}
                    </th>
                    <th scope="col" className="hide-narrow">
                      {t('common.created')}
                    </th>
                    <th scope="col">{t('tokens.expires')}</th>
                    <th scope="col" className="hide-narrow">
                      {t('tokens.lastUsed')}
                    </th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('tokens.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.data.map((token) => {
                    const status = tokenStatus(token);
                    return (
                      <tr key={token.id}>
                        <td className="cell-strong">{token.name}</td>
                        <td className="hide-narrow mono">{token.prefix}…</td>
                        <td className="hide-narrow">{formatDate(token.createdAt)}</td>
                        <td>{token.expiresAt === null ? t('tokens.never') : formatDate(token.expiresAt)}</td>
                        <td className="hide-narrow">
                          {token.lastUsedAt === null ? t('tokens.never') : formatDateTime(token.lastUsedAt)}
                        </td>
                        <td>
                          {status === 'active' ? (
                            <Badge tone="success">{t('common.active')}</Badge>
                          ) : status === 'revoked' ? (
                            <Badge tone="danger">{t('tokens.revoked')}</Badge>
                          ) : (
                            <Badge>{t('tokens.expired')}</Badge>
                          )}
                        </td>
                        <td className="cell-actions">
                          {status === 'active' && (
                            <ConfirmButton
                              busy={revoke.isPending && revoke.variables === token.id}
                              confirmLabel={t('tokens.confirmRevoke')}
                              onConfirm={() => revoke.mutate(token.id)}
                            >
                              {t('tokens.revoke')}
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
