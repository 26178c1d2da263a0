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

/** Editing one team: name, description and members (saved under the ETag), and deleting it. */
export function TeamEditPage() {
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
        <PageHeader title="Team" back={{ to: '/teams', label: 'Teams' }} />
        <ErrorAlert
          error={team.error}
          title={
            isApiError(team.error, 'not_found') ? 'This team does not exist' : 'The team could not be loaded'
          }
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
      { onSuccess: () => setNotice('Changes saved.') },
    );
  };

  return (
    <>
      <PageHeader
        title={data.name}
        back={{ to: '/teams', label: 'Teams' }}
        description={`Created ${formatDateTime(data.createdAt)} · updated ${formatDateTime(data.updatedAt)}`}
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {isApiError(update.error, 'stale') && (
          <StaleAlert
            what="team"
            onReload={() => {
              update.reset();
              void Promise.all([team.refetch(), members.refetch()]);
            }}
          />
        )}
        <Panel title="Team">
          <TeamForm
            key={`${data.version}:${members.dataUpdatedAt}`}
            initial={{
              name: data.name,
              description: data.description,
              members: initialMembers,
              security: data.security,
            }}
            submitLabel="Save changes"
            errorTitle="Not saved"
            busy={update.isPending}
            error={isApiError(update.error, 'stale') ? null : update.error}
            onSubmit={save}
          />
        </Panel>
        <Panel title="Delete team">
          <div className="form">
            <p className="muted">Deleting a team removes it from its members. This cannot be undone.</p>
            <ErrorAlert error={remove.error} title="The team was not deleted" />
            <div className="form-actions">
              <ConfirmButton
                size="md"
                busy={remove.isPending}
                confirmLabel="Click again to delete"
                onConfirm={() =>
                  remove.mutate(undefined, {
                    onSuccess: () =>
                      void navigate('/teams', { state: { notice: `${data.name} was deleted.` } }),
                  })
                }
              >
                Delete team
              </ConfirmButton>
            </div>
          </div>
        </Panel>
      </div>
    </>
  );
}
