import { useState } from 'react';
import type { PendingReason, Ticket, TicketStatus, UpdateTicket } from '@contracts';
import { isApiError } from '../../api/client';
import { Button, ErrorAlert, Options, Panel, SelectField, StaleAlert } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useTeamMembers, useUserOptions } from '../users/api';
import { useTransition, useUpdateTicket } from './api';
import { isFinal, moveLabel, NEXT_STATUSES, priorityLabel } from './labels';
import { CategoryOptions, PendingReasonSelect, TeamOptions } from './parts';

interface Props {
  ticket: Ticket;
  etag: string;
  onReload: () => void;
}

/** A change that failed: the stale-version warning with Reload, or the server's message. */
function Failure({ error, onReload, reset }: { error: unknown; onReload: () => void; reset: () => void }) {
  if (isApiError(error, 'stale')) {
    return (
      <StaleAlert
        what="ticket"
        onReload={() => {
          reset();
          onReload();
        }}
      />
    );
  }
  return <ErrorAlert error={error} title="Not changed" />;
}

/** Status buttons offering only the moves the state machine allows; "pending" asks whom it waits for. */
export function StatusActions({ ticket, etag, onReload }: Props) {
  const move = useTransition(ticket.id);
  const [pending, setPending] = useState(false);
  const [reason, setReason] = useState<PendingReason>('requester');
  // `assigned` follows from choosing an assignee, so it is not offered as a button
  const next = NEXT_STATUSES[ticket.status].filter((s) => s !== 'assigned');
  const go = (status: TicketStatus, pendingReason?: PendingReason) =>
    move.mutate(
      { body: { status, ...(pendingReason ? { pendingReason } : {}) }, etag },
      { onSuccess: () => setPending(false) },
    );
  return (
    <Panel title="Status">
      <div className="stack-sm">
        {move.isError && <Failure error={move.error} onReload={onReload} reset={move.reset} />}
        {next.length === 0 ? (
          <p className="muted">This ticket is {ticket.status}: it no longer changes.</p>
        ) : (
          <div className="button-row">
            {next.map((s) => (
              <Button
                key={s}
                size="sm"
                variant={s === 'resolved' ? 'primary' : s === 'cancelled' ? 'danger' : 'secondary'}
                busy={move.isPending && move.variables.body.status === s}
                disabled={move.isPending}
                aria-expanded={s === 'pending' ? pending : undefined}
                onClick={() => (s === 'pending' ? setPending((p) => !p) : go(s))}
              >
                {moveLabel(ticket.status, s)}
              </Button>
            ))}
          </div>
        )}
        {pending && (
          <div className="inline-form">
            <PendingReasonSelect label="Waiting for" value={reason} onChange={setReason} />
            <Button size="sm" variant="primary" busy={move.isPending} onClick={() => go('pending', reason)}>
              Set pending
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}

/** Team, assignee ("Assign to me" in one click), category, impact, urgency and the priority override. */
export function FieldActions({ ticket, etag, onReload }: Props) {
  const me = useCurrentUser();
  const update = useUpdateTicket(ticket.id);
  const members = useTeamMembers(ticket.teamId ?? undefined);
  const everyone = useUserOptions();
  const final = isFinal(ticket.status);
  const candidates = (ticket.teamId !== null ? members.data?.items : everyone.data) ?? [];
  const agents = candidates.filter((u) => u.role !== 'requester' && u.active);
  const save = (patch: UpdateTicket) => update.mutate({ patch, etag });
  const level = (n: number) => (
    <option key={n} value={n}>
      {n}
    </option>
  );
  return (
    <Panel title="Details">
      <div className="stack-sm">
        {update.isError && <Failure error={update.error} onReload={onReload} reset={update.reset} />}
        <SelectField
          label="Team"
          value={ticket.teamId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ teamId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">No team (triage)</option>
          <TeamOptions />
        </SelectField>
        <SelectField
          label="Assignee"
          value={ticket.assigneeId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ assigneeId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">Unassigned</option>
          {ticket.assigneeId !== null && !agents.some((u) => u.id === ticket.assigneeId) && (
            <option value={ticket.assigneeId}>Current assignee</option>
          )}
          <Options
            items={agents}
            value={(u) => u.id}
            label={(u) => (u.id === me.id ? `${u.name} (me)` : u.name)}
          />
        </SelectField>
        {!final && ticket.assigneeId !== me.id && (
          <Button size="sm" busy={update.isPending} onClick={() => save({ assigneeId: me.id })}>
            Assign to me
          </Button>
        )}
        <SelectField
          label="Category"
          value={ticket.categoryId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ categoryId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">No category</option>
          <CategoryOptions />
        </SelectField>
        <div className="form-row">
          <SelectField
            label="Impact"
            value={ticket.impact}
            disabled={final || update.isPending}
            onChange={(e) => save({ impact: Number(e.target.value) })}
          >
            {[1, 2, 3, 4, 5].map(level)}
          </SelectField>
          <SelectField
            label="Urgency"
            value={ticket.urgency}
            disabled={final || update.isPending}
            onChange={(e) => save({ urgency: Number(e.target.value) })}
          >
            {[1, 2, 3, 4, 5].map(level)}
          </SelectField>
        </div>
        <SelectField
          label="Priority"
          hint={ticket.priorityOverridden ? 'Set by hand.' : 'From impact and urgency.'}
          value={ticket.priorityOverridden ? String(ticket.priority) : 'matrix'}
          disabled={final || update.isPending}
          onChange={(e) =>
            save({ priorityOverride: e.target.value === 'matrix' ? null : Number(e.target.value) })
          }
        >
          <option value="matrix">
            From impact × urgency{ticket.priorityOverridden ? '' : ` (${priorityLabel(ticket.priority)})`}
          </option>
          {[1, 2, 3, 4, 5, 6].map((p) => (
            <option key={p} value={p}>
              {priorityLabel(p)} (override)
            </option>
          ))}
        </SelectField>
      </div>
    </Panel>
  );
}
