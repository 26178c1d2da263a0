import type { AssignmentStrategy } from '@contracts';
import { Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { useAwayFlags, useSetAway, useSetStrategy, useTeamStrategies } from './api';
import { STRATEGIES } from './ruleWords';
import { useT } from '../../i18n';

/** How each team shares tickets routed to it, and which agents are away (they get no automatic work). */
export function AssignmentSection() {
  const t = useT();
  const teams = useAllTeams();
  const people = useUserOptions();
  const teamIds = (teams.data ?? []).map((team) => team.id);
  const agents = (people.data ?? []).filter((u) => u.role !== 'requester' && u.active);
  const strategies = useTeamStrategies(teamIds);
  const away = useAwayFlags(agents.map((u) => u.id));
  const setStrategy = useSetStrategy();
  const setAway = useSetAway();
  if (teams.isPending || people.isPending) return <Loading />;
  return (
    <>
      <PageHeader title={t('settings.section.assignment')} description={t('assignment.description')} />
      <div className="stack">
        <ErrorAlert
          error={teams.error ?? people.error ?? strategies.error ?? away.error}
          title={t('assignment.loadFailed')}
        />
        <ErrorAlert error={setStrategy.error ?? setAway.error} title={t('users.notSaved')} />
        <Panel title={t('assignment.howTeamsShare')} padded={false}>
          {teamIds.length === 0 ? (
            <Empty>{t('teams.none')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('assignment.strategies')}>
                <thead>
                  <tr>
                    <th>{t('assignment.team')}</th>
                    <th>{t('assignment.whoGets')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(teams.data ?? []).map((team) => (
                    <tr key={team.id}>
                      <td className="cell-strong">{team.name}</td>
                      <td>
                        <select
                          className="select"
                          aria-label={t('assignment.howTeamShares', { team: team.name })}
                          disabled={strategies.isPending || setStrategy.isPending}
                          value={strategies.data?.get(team.id) ?? 'none'}
                          onChange={(e) =>
                            setStrategy.mutate({
                              teamId: team.id,
                              strategy: e.target.value as AssignmentStrategy,
                            })
                          }
                        >
                          {STRATEGIES.map((s) => (
                            <option key={s} value={s}>
                              {t(`assignment.strategy.${s}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title={t('assignment.away')} padded={false}>
          {agents.length === 0 ? (
            <Empty>{t('assignment.noAgents')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('assignment.agentsAway')}>
                <thead>
                  <tr>
                    <th>{t('assignment.agent')}</th>
                    <th>{t('assignment.awayColumn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {agents.map((u) => (
                    <tr key={u.id}>
                      <td className="cell-strong">
                        {u.name} <span className="muted">{u.email}</span>
                      </td>
                      <td>
                        <label className="check">
                          <input
                            type="checkbox"
                            disabled={away.isPending || setAway.isPending}
                            checked={away.data?.get(u.id) ?? false}
                            onChange={(e) => setAway.mutate({ userId: u.id, away: e.target.checked })}
                          />
                          <span>{t('assignment.isAway', { name: u.name })}</span>
                        </label>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
