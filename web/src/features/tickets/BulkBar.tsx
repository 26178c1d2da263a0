import { useState, type ChangeEvent } from 'react';
import type { BulkUpdateTickets, PendingReason, TicketStatus } from '@contracts';
import { useT, type Translate } from '../../i18n';
import { Button, ErrorAlert, PRIORITIES_BY_URGENCY, priorityName, SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useBulkUpdate } from './api';
import { PENDING_AFTER, STATUS_LABEL } from './labels';
import { PendingReasonSelect, TeamOptions } from './parts';

type Patch = BulkUpdateTickets['patch'];

/** A chosen value of a select with the words its option shows. */
interface Choice {
  value: string;
  label: string;
}

const choiceOf = (e: ChangeEvent<HTMLSelectElement>): Choice | null =>
  e.target.value === '' ? null : { value: e.target.value, label: e.target.selectedOptions[0]?.text ?? '' };

/** One pending change: its part of the patch, and how to say it (alone, and as part of a list). */
interface Change {
  patch: Patch;
  alone: (n: string) => string;
  part: string;
}

/** The question the Apply button answers: "Route 2 tickets to Network?", or a list of every change. */
export function bulkQuestion(t: Translate, count: number, changes: Change[]): string {
  const n = t('bulk.tickets', { count });
  if (changes.length === 1) return t('bulk.questionOne', { change: changes[0]?.alone(n) ?? '' });
  return t('bulk.questionMany', { n, parts: changes.map((c) => c.part).join(', ') });
}

/** What the bar would change, from its controls: nothing until something is chosen. */
function changesOf(
  c: {
    assign: boolean;
    team: Choice | null;
    priority: Choice | null;
    status: Choice | null;
    reason: PendingReason;
  },
  myId: string,
  t: Translate,
): Change[] {
  const { assign, team, priority, status, reason } = c;
  const changes: Change[] = [];
  if (assign)
    changes.push({
      patch: { assigneeId: myId },
      alone: (n) => t('bulk.assignAlone', { n }),
      part: t('bulk.assignPart'),
    });
  if (team) {
    const none = team.value === 'none';
    changes.push({
      patch: { teamId: none ? null : team.value },
      alone: (n) => (none ? t('bulk.noTeamAlone', { n }) : t('bulk.routeAlone', { n, team: team.label })),
      part: none ? t('bulk.noTeamPart') : t('bulk.routePart', { team: team.label }),
    });
  }
  if (priority) {
    changes.push({
      patch: { priorityOverride: priority.value === 'matrix' ? null : Number(priority.value) },
      alone: (n) => t('bulk.priorityAlone', { n, priority: priority.label }),
      part: t('bulk.priorityPart', { priority: priority.label }),
    });
  }
  if (status) {
    const pending = status.value === 'pending';
    const label = pending
      ? t('bulk.pendingLabel', { status: status.label, reason: t(PENDING_AFTER[reason]) })
      : status.label;
    changes.push({
      patch: pending
        ? { status: 'pending', pendingReason: reason }
        : { status: status.value as TicketStatus },
      alone: (n) => t('bulk.moveAlone', { n, status: label }),
      part: t('bulk.movePart', { status: label }),
    });
  }
  return changes;
}

/**
 * The bar over a selection of tickets: assign, route, move or reprioritise them all at once (all or nothing).
 * Choosing in a select (with the mouse or the keyboard's arrows) only prepares the change: nothing is applied
 * until Apply, which names the change and the number of tickets.
 */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const t = useT();
  const me = useCurrentUser();
  const bulk = useBulkUpdate();
  const [assign, setAssign] = useState(false);
  const [team, setTeam] = useState<Choice | null>(null);
  const [priority, setPriority] = useState<Choice | null>(null);
  const [status, setStatus] = useState<Choice | null>(null);
  const [reason, setReason] = useState<PendingReason>('requester');
  const reset = () => {
    setAssign(false);
    setTeam(null);
    setPriority(null);
    setStatus(null);
  };

  const changes = changesOf({ assign, team, priority, status, reason }, me.id, t);
  const apply = () =>
    bulk.mutate(
      { ids, patch: Object.assign({}, ...changes.map((c) => c.patch)) as Patch },
      {
        onSuccess: () => {
          reset();
          onDone();
        },
      },
    );

  return (
    <div className="bulk-bar" role="region" aria-label={t('bulk.region')}>
      <strong>{t('bulk.selected', { count: ids.length })}</strong>
      <Button size="sm" aria-pressed={assign} onClick={() => setAssign(!assign)}>
        {t('ticket.assignToMe')}
      </Button>
      <SelectField label={t('bulk.routeTo')} value={team?.value ?? ''} onChange={(e) => setTeam(choiceOf(e))}>
        <option value="">{t('bulk.routeToPrompt')}</option>
        <option value="none">{t('bulk.noTeam')}</option>
        <TeamOptions />
      </SelectField>
      <SelectField
        label={t('bulk.setPriority')}
        value={priority?.value ?? ''}
        onChange={(e) => setPriority(choiceOf(e))}
      >
        <option value="">{t('bulk.setPriorityPrompt')}</option>
        <option value="matrix">{t('ticket.fromMatrixOption')}</option>
        {PRIORITIES_BY_URGENCY.map((p) => (
          <option key={p} value={p}>
            {priorityName(t, p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('bulk.moveTo')}
        value={status?.value ?? ''}
        onChange={(e) => setStatus(choiceOf(e))}
      >
        <option value="">{t('bulk.moveToPrompt')}</option>
        {(['in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const).map((s) => (
          <option key={s} value={s}>
            {t(STATUS_LABEL[s])}
          </option>
        ))}
      </SelectField>
      {status?.value === 'pending' && (
        <PendingReasonSelect label={t('bulk.waitsFor')} value={reason} onChange={setReason} />
      )}
      <Button size="sm" variant="ghost" onClick={onDone}>
        {t('bulk.clear')}
      </Button>
      {changes.length > 0 && (
        <div className="bulk-confirm" role="group" aria-label={t('bulk.confirm')}>
          <span>{bulkQuestion(t, ids.length, changes)}</span>
          <Button size="sm" variant="primary" busy={bulk.isPending} onClick={apply}>
            {t('bulk.apply')}
          </Button>
          <Button size="sm" variant="ghost" onClick={reset}>
            {t('common.cancel')}
          </Button>
        </div>
      )}
      {bulk.isError && (
        <div className="bulk-error">
          <ErrorAlert error={bulk.error} title={t('bulk.failed')} />
        </div>
      )}
    </div>
  );
}
