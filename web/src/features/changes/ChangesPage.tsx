import { Link, useSearchParams } from 'react-router-dom';
import { ChangeOutcome, ChangeStatus } from '@contracts';
import { useT } from '../../i18n';
import { ButtonLink, ListPage, ListTable, SelectField, formatDate } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useAllTeams } from '../teams/api';
import { templates } from './adminApi';
import { type ChangeFilter, FILTER_KEYS, changePath, useChangeList } from './api';
import { RiskBadge, outcomeName, statusName, typeName, windowText } from './parts';

/** The list's filter as the address carries it (unknown values are dropped). */
function filterOf(params: URLSearchParams): ChangeFilter {
  const f: ChangeFilter = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v as never;
  }
  if (f.status && !ChangeStatus.safeParse(f.status).success) delete f.status;
  if (f.outcome && !ChangeOutcome.safeParse(f.outcome).success) delete f.outcome;
  return f;
}

/** What a filter from the success rates narrows to, in words, with a way back to every change. */
function FilterSummary({ f }: { f: ChangeFilter }) {
  const t = useT();
  const teams = useAllTeams();
  const tpl = templates.useList();
  const parts: string[] = [];
  if (f.teamId)
    parts.push(t('changes.ofTeam', { name: teams.data?.find((x) => x.id === f.teamId)?.name ?? '…' }));
  if (f.templateId)
    parts.push(
      t('changes.fromTemplate', { name: tpl.data?.find((x) => x.id === f.templateId)?.name ?? '…' }),
    );
  if (f.outcome) parts.push(outcomeName(t, f.outcome));
  if (f.closedFrom || f.closedTo)
    parts.push(
      t('changes.closedBetween', {
        from: f.closedFrom ? formatDate(f.closedFrom) : '…',
        to: f.closedTo ? formatDate(f.closedTo) : t('changes.now'),
      }),
    );
  if (parts.length === 0) return null;
  return (
    <p aria-label={t('changes.filter')}>
      {t('changes.showing', { what: parts.join(' · ') })}{' '}
      <Link to="/changes">{t('changes.clearFilter')}</Link>
    </p>
  );
}

/** Changes, newest first, by status (and by team, template, outcome and closing period from the rates). */
export function ChangesPage() {
  const t = useT();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const f = filterOf(params);
  const list = useChangeList(f);
  const keeps = me.role === 'manager' || me.role === 'admin';
  const setStatus = (status: string) => {
    const next = new URLSearchParams(params);
    if (status) next.set('status', status);
    else next.delete('status');
    setParams(next, { replace: true });
  };
  return (
    <ListPage
      title={t('nav.changes')}
      description={t('changes.intro')}
      actions={
        <>
          <ButtonLink to="/changes/calendar">{t('changes.calendar')}</ButtonLink>
          <ButtonLink to="/changes/stats">{t('changes.stats')}</ButtonLink>
          <ButtonLink to="/changes/delegations">{t('changes.delegations')}</ButtonLink>
          {keeps && (
            <>
              <ButtonLink to="/changes/templates">{t('changes.templates')}</ButtonLink>
              <ButtonLink to="/changes/routes">{t('changes.routes')}</ButtonLink>
              <ButtonLink to="/changes/windows">{t('changes.windows')}</ButtonLink>
            </>
          )}
          <ButtonLink to="/changes/new" variant="primary">
            {t('changes.new')}
          </ButtonLink>
        </>
      }
      toolbar={
        <>
          <SelectField
            label={t('common.status')}
            value={f.status ?? ''}
            onChange={(e) => setStatus(e.target.value)}
          >
            <option value="">{t('changes.anyStatus')}</option>
            {ChangeStatus.options.map((s) => (
              <option key={s} value={s}>
                {statusName(t, s)}
              </option>
            ))}
          </SelectField>
          <FilterSummary f={f} />
        </>
      }
    >
      <ListTable
        query={list}
        label={t('nav.changes')}
        noun={t('changes.noun')}
        empty={t('changes.none')}
        rowKey={(c) => c.id}
        columns={[
          {
            header: t('changes.change'),
            className: 'cell-strong',
            cell: (c) => <Link to={changePath(c.id)}>{c.key}</Link>,
          },
          { header: t('changes.titleColumn'), className: 'cell-title', cell: (c) => c.title },
          { header: t('changes.type'), cell: (c) => typeName(t, c.type) },
          { header: t('common.status'), cell: (c) => statusName(t, c.status) },
          { header: t('changes.riskColumn'), cell: (c) => <RiskBadge risk={c.risk} /> },
          {
            header: t('changes.windowColumn'),
            wide: true,
            cell: (c) => windowText(t, c.plannedStart, c.plannedEnd),
          },
          { header: t('changes.implementer'), wide: true, cell: (c) => c.implementerName ?? '' },
        ]}
      />
    </ListPage>
  );
}
