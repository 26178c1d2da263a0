import type { AssignmentStrategy } from '@contracts';
import { Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { useAwayFlags, useSetAway, useSetStrategy, useTeamStrategies } from './api';
import { STRATEGY_LABEL } from './ruleWords';

/** How each team shares tickets routed to it, and which agents are away (they get no automatic work). */
export function AssignmentSection() {
  const teams = useAllTeams();
  const people = useUserOptions();
  const teamIds = (teams.data ?? []).map((t) => t.id);
  const agents = (people.data ?? []).filter((u) => u.role !== 'requester' && u.active);
  const strategies = useTeamStrategies(teamIds);
  const away = useAwayFlags(agents.map((u) => u.id));
  const setStrategy = useSetStrategy();
  const setAway = useSetAway();
  if (teams.isPending || people.isPending) return <Loading />;
  return (
    <>
      <PageHeader
        title="Assignment"
        description="When a routing rule hands a ticket to a team without naming an agent, the team’s strategy picks one who is not away."
      />
      <div className="stack">
        <ErrorAlert
          error={teams.error ?? people.error ?? strategies.error ?? away.error}
          title="Could not be loaded"
        />
        <ErrorAlert error={setStrategy.error ?? setAway.error} title="Not saved" />
        <Panel title="How teams share work" padded={false}>
          {teamIds.length === 0 ? (
            <Empty>No teams yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Team strategies">
                <thead>
                  <tr>
                    <th>Team</th>
                    <th>Who gets a routed ticket</th>
                  </tr>
                </thead>
                <tbody>
                  {(teams.data ?? []).map((t) => (
                    <tr key={t.id}>
                      <td className="cell-strong">{t.name}</td>
                      <td>
                        <select
                          className="select"
                          aria-label={`How ${t.name} shares work`}
                          disabled={strategies.isPending || setStrategy.isPending}
                          value={strategies.data?.get(t.id) ?? 'none'}
                          onChange={(e) =>
                            setStrategy.mutate({
                              teamId: t.id,
                              strategy: e.target.value as AssignmentStrategy,
                            })
                          }
                        >
                          {(Object.keys(STRATEGY_LABEL) as AssignmentStrategy[]).map((s) => (
                            <option key={s} value={s}>
                              {STRATEGY_LABEL[s]}
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
        <Panel title="Away" padded={false}>
          {agents.length === 0 ? (
            <Empty>No agents yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Agents away">
                <thead>
                  <tr>
                    <th>Agent</th>
                    <th>Away (no automatic assignments)</th>
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
                          <span>{u.name} is away</span>
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
