import { useState, type ChangeEvent } from 'react';
import type { BulkUpdateTickets, PendingReason, TicketStatus } from '@contracts';
import { Button, ErrorAlert, PRIORITIES_BY_URGENCY, SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useBulkUpdate } from './api';
import { PENDING_LABEL, priorityLabel, STATUS_LABEL } from './labels';
import { PendingReasonSelect, TeamOptions } from './parts';

type Patch = BulkUpdateTickets['patch'];

/** A chosen value of a select with the words its option shows. */
interface Choice {
  value: string;
  label: string;
}

const choiceOf = (e: ChangeEvent<HTMLSelectElement>): Choice | null =>
  e.target.value === '' ? null : { value: e.target.value, label: e.target.selectedOptions[0]?.text ?? '' };

const tickets = (n: number) => `${n} ticket${n === 1 ? '' : 's'}`;

/** One pending change: its part of the patch, and how to say it (alone, and as part of a list). */
interface Change {
  patch: Patch;
  alone: (n: string) => string;
  part: string;
}

/** The question the Apply button answers: "Route 2 tickets to Network?", or a list of every change. */
export function bulkQuestion(count: number, changes: Change[]): string {
  const n = tickets(count);
  if (changes.length === 1) return `${changes[0]?.alone(n)}?`;
  return `Change ${n}: ${changes.map((c) => c.part).join(', ')}?`;
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
): Change[] {
  const { assign, team, priority, status, reason } = c;
  const changes: Change[] = [];
  if (assign)
    changes.push({ patch: { assigneeId: myId }, alone: (n) => `Assign ${n} to you`, part: 'assign to you' });
  if (team) {
    const none = team.value === 'none';
    changes.push({
      patch: { teamId: none ? null : team.value },
      alone: (n) => (none ? `Take ${n} off their team` : `Route ${n} to ${team.label}`),
      part: none ? 'no team' : `route to ${team.label}`,
    });
  }
  if (priority) {
    changes.push({
      patch: { priorityOverride: priority.value === 'matrix' ? null : Number(priority.value) },
      alone: (n) => `Set the priority of ${n} to ${priority.label}`,
      part: `priority ${priority.label}`,
    });
  }
  if (status) {
    const pending = status.value === 'pending';
    const label = pending ? `${status.label} (${PENDING_LABEL[reason].toLowerCase()})` : status.label;
    changes.push({
      patch: pending
        ? { status: 'pending', pendingReason: reason }
        : { status: status.value as TicketStatus },
      alone: (n) => `Move ${n} to ${label}`,
      part: `move to ${label}`,
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

  const changes = changesOf({ assign, team, priority, status, reason }, me.id);
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
    <div className="bulk-bar" role="region" aria-label="Bulk update">
      <strong>{ids.length} selected</strong>
      <Button size="sm" aria-pressed={assign} onClick={() => setAssign(!assign)}>
        Assign to me
      </Button>
      <SelectField label="Route to team" value={team?.value ?? ''} onChange={(e) => setTeam(choiceOf(e))}>
        <option value="">Route to…</option>
        <option value="none">No team</option>
        <TeamOptions />
      </SelectField>
      <SelectField
        label="Set priority"
        value={priority?.value ?? ''}
        onChange={(e) => setPriority(choiceOf(e))}
      >
        <option value="">Set priority…</option>
        <option value="matrix">From impact × urgency</option>
        {PRIORITIES_BY_URGENCY.map((p) => (
          <option key={p} value={p}>
            {priorityLabel(p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Move to status"
        value={status?.value ?? ''}
        onChange={(e) => setStatus(choiceOf(e))}
      >
        <option value="">Move to…</option>
        {(['in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </SelectField>
      {status?.value === 'pending' && (
        <PendingReasonSelect label="Selection waits for" value={reason} onChange={setReason} />
      )}
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear selection
      </Button>
      {changes.length > 0 && (
        <div className="bulk-confirm" role="group" aria-label="Confirm the bulk update">
          <span>{bulkQuestion(ids.length, changes)}</span>
          <Button size="sm" variant="primary" busy={bulk.isPending} onClick={apply}>
            Apply
          </Button>
          <Button size="sm" variant="ghost" onClick={reset}>
            Cancel
          </Button>
        </div>
      )}
      {bulk.isError && (
        <div className="bulk-error">
          <ErrorAlert error={bulk.error} title="Nothing was changed" />
        </div>
      )}
    </div>
  );
}
