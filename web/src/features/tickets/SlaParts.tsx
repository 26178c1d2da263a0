// SLA due times in the console: a badge for the queue, and the ticket page's panel with both clocks.
import { useQuery } from '@tanstack/react-query';
import type { SlaClock, SlaClockState, TicketListItem, TicketSla } from '@contracts';
import { api } from '../../api/client';
import { useT, type MessageKey } from '../../i18n';
import { formatDateTime, Panel } from '../../ui';
import { clockText, shownState } from './slaText';

const STATE_LABEL: Record<SlaClockState, MessageKey> = {
  running: 'sla.state.running',
  paused: 'sla.state.paused',
  warning: 'sla.state.warning',
  breached: 'sla.state.breached',
  met: 'sla.state.met',
  missed: 'sla.state.missed',
};
const STATE_CLASS: Record<SlaClockState, string> = {
  running: 'badge',
  paused: 'badge',
  warning: 'badge badge-warning',
  breached: 'badge badge-danger',
  met: 'badge badge-success',
  missed: 'badge badge-danger',
};

/** The resolution clock of a queue row (the response clock while it is still running and due first). */
export function SlaBadge({ sla }: { sla: TicketListItem['sla'] }) {
  const t = useT();
  if (!sla) return <span className="muted">—</span>;
  const response =
    sla.responseState === 'running' || sla.responseState === 'warning' || sla.responseState === 'breached';
  const state = (response ? sla.responseState : sla.resolutionState) ?? null;
  const due = response ? sla.responseDueAt : sla.resolutionDueAt;
  if (!state) return <span className="muted">—</span>;
  return (
    <span className={STATE_CLASS[state]} title={t(response ? 'sla.firstResponse' : 'sla.resolution')}>
      {t(STATE_LABEL[state])}
      {due && (state === 'running' || state === 'warning' || state === 'breached')
        ? ` ${formatDateTime(due)}`
        : ''}
    </span>
  );
}

function ClockRow({ name, clock }: { name: string; clock: SlaClock | null }) {
  const t = useT();
  if (!clock) return null;
  const state = shownState(clock);
  const live = state === 'running' || state === 'warning' || state === 'breached';
  return (
    <>
      <dt>{name}</dt>
      <dd>
        <span className={STATE_CLASS[state]}>{t(STATE_LABEL[state])}</span>{' '}
        {live && clock.dueAt && <>{formatDateTime(clock.dueAt)} · </>}
        {clockText(t, clock)}
      </dd>
    </>
  );
}

/** The ticket page's SLA panel: policy, calendar, and both clocks read now (agents only). */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const t = useT();
  const q = useQuery({
    queryKey: ['tickets', 'sla', ticketId],
    queryFn: ({ signal }) => api.get<TicketSla>(`/api/v1/tickets/${ticketId}/sla`, undefined, signal),
    refetchInterval: 60_000,
  });
  if (!q.data) return null;
  const s = q.data;
  return (
    <Panel title={t('sla.panel')}>
      {s.policy ? (
        <dl className="facts">
          <dt>{t('sla.policy')}</dt>
          <dd>
            {s.policy.name} · {s.calendar?.name} ({s.calendar?.timezone})
          </dd>
          <ClockRow name={t('sla.firstResponse')} clock={s.firstResponse} />
          <ClockRow name={t('sla.resolution')} clock={s.resolution} />
        </dl>
      ) : (
        <p className="muted">{t('sla.noPolicy')}</p>
      )}
    </Panel>
  );
}
