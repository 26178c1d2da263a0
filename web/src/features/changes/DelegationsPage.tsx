import { type FormEvent, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChangeDelegation, User } from '@contracts';
import { api, type Page } from '../../api/client';
import { useCurrentUser } from '../auth/session';
import {
  Button,
  ConfirmButton,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
} from '../../ui';
import { useT } from '../../i18n';
import { windowText } from './parts';

const DELEGATIONS = '/api/v1/change-delegations';

/** `YYYY-MM-DDTHH:mm` (a datetime-local value) as an ISO instant. */
const iso = (local: string) => new Date(local).toISOString();

/**
 * Away from approvals: the caller names a delegate who approves changes in their place for a period, and sees
 * the delegations they gave or received (change admins: everyone's), each ended with a second click.
 */
export function DelegationsPage() {
  const t = useT();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['changes', 'delegations'],
    queryFn: ({ signal }) => api.get<{ items: ChangeDelegation[] }>(DELEGATIONS, undefined, signal),
  });
  const people = useQuery({
    queryKey: ['changes', 'delegates'],
    queryFn: async ({ signal }) =>
      (await api.get<Page<User>>('/api/v1/users', { limit: 200, active: true }, signal)).items,
  });
  const done = () => qc.invalidateQueries({ queryKey: ['changes', 'delegations'] });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<ChangeDelegation>(DELEGATIONS, body),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`${DELEGATIONS}/${id}`),
    onSuccess: done,
  });
  const [delegateId, setDelegateId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ delegateId, startsAt: iso(from), endsAt: iso(to), reason });
  };
  const others = (people.data ?? []).filter((u) => u.id !== me.id);
  return (
    <>
      <PageHeader title={t('changes.delegationsTitle')} back={{ to: '/changes', label: t('nav.changes') }} />
      <div className="stack">
        <Panel title={t('changes.delegateMine')}>
          <form aria-label={t('changes.delegateMine')} className="stack-sm" onSubmit={submit}>
            {create.isError && <ErrorAlert error={create.error} />}
            <SelectField
              label={t('changes.delegate')}
              value={delegateId}
              onChange={(e) => setDelegateId(e.target.value)}
            >
              <option value="">{t('changes.choosePerson')}</option>
              {others.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
            <div className="row">
              <TextField
                label={t('changes.from')}
                type="datetime-local"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
              <TextField
                label={t('changes.until')}
                type="datetime-local"
                value={to}
                onChange={(e) => setTo(e.target.value)}
              />
            </div>
            <TextField label={t('changes.why')} value={reason} onChange={(e) => setReason(e.target.value)} />
            <Button
              type="submit"
              variant="primary"
              busy={create.isPending}
              disabled={!delegateId || !from || !to}
            >
              {t('changes.delegateButton')}
            </Button>
          </form>
        </Panel>
        <Panel title={t('changes.delegations')}>
          {list.isPending && <Loading />}
          {list.isError && <ErrorAlert error={list.error} />}
          {remove.isError && <ErrorAlert error={remove.error} />}
          {list.data && list.data.items.length === 0 && <p className="muted">{t('changes.noDelegation')}</p>}
          <ul aria-label={t('changes.delegations')} className="stack-sm">
            {list.data?.items.map((d) => (
              <li key={d.id}>
                {t('changes.delegationLine', {
                  delegate: d.delegateName,
                  user: d.userName,
                  when: windowText(t, d.startsAt, d.endsAt),
                })}
                {d.reason ? ` (${d.reason})` : ''}{' '}
                {(d.userId === me.id || me.role === 'admin' || me.role === 'manager') && (
                  <ConfirmButton confirmLabel={t('changes.confirmEnd')} onConfirm={() => remove.mutate(d.id)}>
                    {t('changes.end')}
                  </ConfirmButton>
                )}
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </>
  );
}
