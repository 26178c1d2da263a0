import { useNavigate } from 'react-router-dom';
import { ButtonLink, PageHeader, Panel } from '../../ui';
import { useCreateTeam } from './api';
import { TeamForm } from './TeamForm';

/** The "new team" page. */
export function TeamCreatePage() {
  const create = useCreateTeam();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New team" back={{ to: '/teams', label: 'Teams' }} />
      <Panel>
        <TeamForm
          initial={{ name: '', description: '', members: [], security: false }}
          submitLabel="Create team"
          errorTitle="The team was not created"
          busy={create.isPending}
          error={create.error}
          onSubmit={(d) =>
            create.mutate(
              {
                name: d.name,
                description: d.description,
                memberIds: d.members.map((m) => m.id),
                security: d.security,
              },
              {
                onSuccess: (team) =>
                  void navigate('/teams', { state: { notice: `${team.name} was created.` } }),
              },
            )
          }
          extraActions={
            <ButtonLink to="/teams" variant="ghost">
              Cancel
            </ButtonLink>
          }
        />
      </Panel>
    </>
  );
}
