import { useNavigate } from 'react-router-dom';
import { ButtonLink, PageHeader, Panel } from '../../ui';
import { useCreateTeam } from './api';
import { TeamForm } from './TeamForm';
import { useT } from '../../i18n';

/** The "new team" page. */
export function TeamCreatePage() {
  const t = useT();
  const create = useCreateTeam();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t('teams.new')} back={{ to: '/teams', label: t('teams.title') }} />
      <Panel>
        <TeamForm
          initial={{ name: '', description: '', members: [], security: false }}
          submitLabel={t('teams.create')}
          errorTitle={t('teams.notCreated')}
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
                  void navigate('/teams', { state: { notice: t('teams.created', { name: team.name }) } }),
              },
            )
          }
          extraActions={
            <ButtonLink to="/teams" variant="ghost">
              {t('common.cancel')}
            </ButtonLink>
          }
        />
      </Panel>
    </>
  );
}
