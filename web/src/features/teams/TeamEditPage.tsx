import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { UpdateTeam } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  ConfirmButton,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  StaleAlert,
  formatDateTime,
} from '../../ui';
import { useTeamMembers } from '../users/api';
import { useDeleteTeam, useTeam, useUpdateTeam } from './api';
import { TeamForm, type TeamDraft } from './TeamForm';
import { useT } from '../../i18n';

/** Editing one team: name, description and members (saved under the ETag), and deleting it. */
export function TeamEditPage() {
  const t = useT();
  const { id = '' } = useParams();
  const team = useTeam(id);
  const members = useTeamMembers(id);
  const update = useUpdateTeam(id);
  const remove = useDeleteTeam(id);
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string | null>(null);

  if (team.isPending || members.isPending) return <Loading />;
  if (team.isError) {
    return (
      <>
        <PageHeader title={t('teams.team')} back={{ to: '/teams', label: t('teams.title') }} />
        <ErrorAlert
          error={team.error}
          title={isApiError(team.error, 'not_found') ? t('teams.notFound') : t('teams.loadFailed')}
        />
      </>
    );
  }
  const { data, etag } = team.data;
  const known = new Map((members.data?.items ?? []).map((u) => [u.id, u]));
  // members the user list did not return (e.g. beyond the first 200) still show, by id
  const initialMembers = data.memberIds.map((mid) => {
    const u = known.get(mid);
    return u === undefined
      ? { id: mid, name: mid.slice(0, 8), email: '' }
      : { id: u.id, name: u.name, email: u.email };
  });

  const save = (d: TeamDraft) => {
    const memberIds = d.members.map((m) => m.id);
    const patch: UpdateTeam = {
      ...(d.name !== data.name ? { name: d.name } : {}),
      ...(d.description !== data.description ? { description: d.description } : {}),
      ...(d.security !== data.security ? { security: d.security } : {}),
      ...(memberIds.length !== data.memberIds.length || memberIds.some((m) => !data.memberIds.includes(m))
        ? { memberIds }
        : {}),
    };
    setNotice(null);
    update.mutate(
      { patch, etag: etag ?? `"v${data.version}"` },
      { onSuccess: () => setNotice(t('users.changesSaved')) },
    );
  };

  return (
    <>
      <PageHeader
        title={data.name}
        back={{ to: '/teams', label: t('teams.title') }}
        description={t('teams.createdUpdated', {
          created: formatDateTime(data.createdAt),
          updated: formatDateTime(data.updatedAt),
        })}
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {isApiError(update.error, 'stale') && (
          <StaleAlert
            what={t('what.team')}
            onReload={() => {
              update.reset();
              void Promise.all([team.refetch(), members.refetch()]);
            }}
          />
        )}
        <Panel title={t('teams.team')}>
          <TeamForm
            key={`${data.version}:${members.dataUpdatedAt}`}
            initial={{
              name: data.name,
              description: data.description,
              members: initialMembers,
              security: data.security,
            }}
            submitLabel={t('users.saveChanges')}
            errorTitle={t('users.notSaved')}
            busy={update.isPending}
            error={isApiError(update.error, 'stale') ? null : update.error}
            onSubmit={save}
          />
        </Panel>
        <Panel title={t('teams.deleteTitle')}>
          <div className="form">
            <p className="muted">{t('teams.deleteBody')}</p>
            <ErrorAlert error={remove.error} title={t('teams.notDeleted')} />
            <div className="form-actions">
              <ConfirmButton
                size="md"
                busy={remove.isPending}
                confirmLabel={t('settings.confirmDelete')}
                onConfirm={() =>
                  remove.mutate(undefined, {
                    onSuccess: () =>
                      void navigate('/teams', { state: { notice: t('teams.deleted', { name: data.name }) } }),
                  })
                }
              >
                {t('teams.deleteTitle')}
              </ConfirmButton>
            </div>
          </div>
        </Panel>
      </div>
    </>
  );
}
