import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApprovalRoute, ApprovalRule } from '@contracts';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';
import {
  Alert,
  Button,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  StaleAlert,
  TextField,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useAllTeams } from '../teams/api';
import { errorAt, useApprovalRoutes, useSetApprovalRoute } from './adminApi';
import { ruleName } from './parts';

const RULES: ApprovalRule[] = ['any', 'all', 'majority', 'at_least'];
interface Level {
  teamId: string;
  rule: ApprovalRule;
  count: string;
}

/** One route's levels, in order: which approver group (a team) decides each, and by which rule. */
function RouteForm({ route, onSaved }: { route: ApprovalRoute; onSaved: () => void }) {
  const t = useT();
  const teams = useAllTeams();
  const set = useSetApprovalRoute(route.route);
  const all = useApprovalRoutes();
  const [levels, setLevels] = useState<Level[]>(() =>
    route.levels.map((l) => ({ teamId: l.teamId, rule: l.rule, count: String(l.count ?? 2) })),
  );
  const put = (i: number, l: Partial<Level>) =>
    setLevels(levels.map((x, j) => (j === i ? { ...x, ...l } : x)));
  const swap = (i: number, j: number) => {
    const next = [...levels];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setLevels(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate(
      {
        version: route.version,
        levels: levels.map((l) =>
          l.rule === 'at_least' ? { ...l, count: Number(l.count) } : { teamId: l.teamId, rule: l.rule },
        ),
      },
      { onSuccess: onSaved },
    );
  };
  const title = t(`changes.route.${route.route}`);
  const error = isApiError(set.error, 'stale') ? null : set.error;
  return (
    <form className="form" noValidate aria-label={title} onSubmit={submit}>
      {isApiError(set.error, 'stale') && (
        <StaleAlert
          what={t('changes.routeWhat')}
          onReload={() => {
            set.reset();
            void all.refetch();
          }}
        />
      )}
      <FormError error={error} title={t('changes.routeNotSaved')} />
      {levels.length === 0 && <p className="muted">{t('changes.noLevels')}</p>}
      <ol className="stack-sm" aria-label={t('changes.levelsOf', { route: title })}>
        {levels.map((l, i) => (
          <li key={i} className="row">
            <SelectField
              label={t('changes.levelGroup', { n: i + 1 })}
              value={l.teamId}
              error={errorAt(error, `levels.${i}.teamId`)}
              onChange={(e) => put(i, { teamId: e.target.value })}
            >
              <option value="">{t('changes.chooseTeam')}</option>
              {(teams.data ?? []).map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('changes.levelRule', { n: i + 1 })}
              value={l.rule}
              onChange={(e) => put(i, { rule: e.target.value as ApprovalRule })}
            >
              {RULES.map((r) => (
                <option key={r} value={r}>
                  {r === 'at_least' ? t('changes.rule.atLeastOption') : ruleName(t, r, 0)}
                </option>
              ))}
            </SelectField>
            {l.rule === 'at_least' && (
              <TextField
                label={t('changes.levelCount', { n: i + 1 })}
                type="number"
                min={1}
                max={100}
                value={l.count}
                error={errorAt(error, `levels.${i}.count`)}
                onChange={(e) => put(i, { count: e.target.value })}
              />
            )}
            <div className="row">
              {i > 0 && (
                <Button size="sm" onClick={() => swap(i, i - 1)}>
                  {t('changes.levelUp', { n: i + 1 })}
                </Button>
              )}
              <Button size="sm" onClick={() => setLevels(levels.filter((_, j) => j !== i))}>
                {t('changes.removeLevel', { n: i + 1 })}
              </Button>
            </div>
          </li>
        ))}
      </ol>
      {errorAt(error, 'levels') && <p className="field-error">{errorAt(error, 'levels')}</p>}
      <div>
        <Button
          size="sm"
          disabled={levels.length >= 5}
          onClick={() => setLevels([...levels, { teamId: '', rule: 'any', count: '2' }])}
        >
          {t('changes.addLevel')}
        </Button>
      </div>
      <FormActions submit={t('changes.saveRoute', { route: title })} busy={set.isPending} />
    </form>
  );
}

/**
 * The approval routes: for changes of low, moderate and high risk, and for emergency changes, the levels of
 * approver groups that decide in order. An approver group is a team; its members vote.
 */
export function RoutesPage() {
  const t = useT();
  const me = useCurrentUser();
  const routes = useApprovalRoutes();
  // Kept here: a saved route comes back with a new version, and its form is made afresh from it.
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('changes.routes')}
        description={t('changes.routesIntro')}
        back={{ to: '/changes', label: t('nav.changes') }}
      />
      <div className="stack">
        <p className="muted">
          {t('changes.groupsAreTeams')}{' '}
          {me.role === 'admin' && <Link to="/teams">{t('changes.editTeams')}</Link>}
        </p>
        {routes.isPending && <Loading />}
        {routes.isError && <ErrorAlert error={routes.error} />}
        {routes.data?.map((r) => (
          <Panel key={r.route} title={t(`changes.route.${r.route}`)}>
            {saved === r.route && <Alert tone="success">{t('common.saved')}</Alert>}
            <RouteForm key={r.version} route={r} onSaved={() => setSaved(r.route)} />
          </Panel>
        ))}
      </div>
    </>
  );
}
