// Small pieces the agent console and the portal share: badges, names, the category tree as options.
import { useQuery } from '@tanstack/react-query';
import type { PendingReason, Team, Ticket, User } from '@contracts';
import { api, type Tagged } from '../../api/client';
import { useT } from '../../i18n';
import { Options, priorityName, SelectField } from '../../ui';
import { useAllTeams } from '../teams/api';
import { PENDING_AFTER, PENDING_LABEL, STATUS_LABEL } from './labels';
import { useCategories } from './api';
import { flattenTree } from './categoryTree';

/** A ticket's status as a coloured pill (with the pending reason). */
export function StatusBadge({ ticket }: { ticket: Pick<Ticket, 'status' | 'pendingReason'> }) {
  const t = useT();
  const label =
    ticket.status === 'pending' && ticket.pendingReason !== null
      ? t('ticket.statusPendingOn', {
          status: t(STATUS_LABEL.pending),
          reason: t(PENDING_AFTER[ticket.pendingReason]),
        })
      : t(STATUS_LABEL[ticket.status]);
  return <span className={`status status-${ticket.status}`}>{label}</span>;
}

/** A priority as a pill; "(set by hand)" when overridden. */
export function PriorityBadge({ ticket }: { ticket: Pick<Ticket, 'priority' | 'priorityOverridden'> }) {
  const t = useT();
  return (
    <span
      className={`prio prio-${ticket.priority}`}
      title={t(ticket.priorityOverridden ? 'ticket.prioritySetByHand' : 'ticket.priorityFromMatrix')}
    >
      {priorityName(t, ticket.priority)}
      {ticket.priorityOverridden && <span className="visually-hidden">{t('ticket.setByHandSuffix')}</span>}
      {ticket.priorityOverridden && ' ✎'}
    </span>
  );
}

/** The name of a user or team by id, from the API (cached; the cache key is shared with the admin areas). */
function useName(kind: 'users' | 'teams', id: string | null) {
  return useQuery({
    queryKey: [kind, 'one', id],
    enabled: id !== null,
    queryFn: ({ signal }) =>
      api.getTagged<User | Team>(`/api/v1/${kind}/${encodeURIComponent(id ?? '')}`, signal),
    select: (t: Tagged<User | Team>) => t.data.name,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

function NameOf({ kind, id, fallback }: { kind: 'users' | 'teams'; id: string | null; fallback: string }) {
  const t = useT();
  const name = useName(kind, id);
  if (id === null) return <>{fallback}</>;
  const unknown = t(kind === 'users' ? 'ticket.unknownUser' : 'ticket.unknownTeam');
  return <>{name.data ?? (name.isError ? unknown : '…')}</>;
}

/** A user's name (agents and above may read users). */
export function UserName({ id, fallback = '—' }: { id: string | null; fallback?: string }) {
  return <NameOf kind="users" id={id} fallback={fallback} />;
}

/** A team's name. */
export function TeamName({ id, fallback = '—' }: { id: string | null; fallback?: string }) {
  return <NameOf kind="teams" id={id} fallback={fallback} />;
}

/** Every team as `<option>`s (values are ids). */
export function TeamOptions() {
  const teams = useAllTeams();
  return <Options items={teams.data} value={(t) => t.id} label={(t) => t.name} />;
}

/** A select of whom a pending ticket waits for. */
export function PendingReasonSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: PendingReason;
  onChange: (r: PendingReason) => void;
}) {
  const t = useT();
  return (
    <SelectField label={label} value={value} onChange={(e) => onChange(e.target.value as PendingReason)}>
      <Options
        items={Object.keys(PENDING_LABEL) as PendingReason[]}
        value={(r) => r}
        label={(r) => t(PENDING_LABEL[r])}
      />
    </SelectField>
  );
}

/** The category tree as indented `<option>`s (values are ids). */
export function CategoryOptions() {
  const categories = useCategories();
  return flattenTree(categories.data ?? []).map(({ category, depth }) => (
    <option key={category.id} value={category.id}>
      {`${'\u00a0\u00a0'.repeat(depth)}${depth > 0 ? '└ ' : ''}${category.name}`}
    </option>
  ));
}

/** A category's path (`Hardware › Printers`), or a dash. */
export function CategoryPath({ id }: { id: string | null }) {
  const categories = useCategories();
  if (id === null) return <>—</>;
  const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));
  const names: string[] = [];
  for (
    let c = byId.get(id);
    c !== undefined && names.length < 20;
    c = c.parentId ? byId.get(c.parentId) : undefined
  ) {
    names.unshift(c.name);
  }
  return <>{names.length > 0 ? names.join(' › ') : '…'}</>;
}
