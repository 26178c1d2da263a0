import { useState } from 'react';
import type { PendingReason, Ticket, TicketStatus, UpdateTicket } from '@contracts';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';
import { Button, ErrorAlert, Options, Panel, priorityName, SelectField, StaleAlert } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useTeamMembers, useUserOptions } from '../users/api';
import { useTransition, useUpdateTicket } from './api';
import { isFinal, moveLabel, NEXT_STATUSES, STATUS_LABEL } from './labels';
import { CategoryOptions, PendingReasonSelect, TeamOptions } from './parts';

interface Props {
  ticket: Ticket;
  etag: string;
  onReload: () => void;
}

/** A change that failed: the stale-version warning with Reload, or the server's message. */
function Failure({ error, onReload, reset }: { error: unknown; onReload: () => void; reset: () => void }) {
  const t = useT();
  if (isApiError(error, 'stale')) {
    return (
      <StaleAlert
        what={t('what.ticket')}
        onReload={() => {
          reset();
          onReload();
        }}
      />
    );
  }
  return <ErrorAlert error={error} title={t('ticket.notChanged')} />;
}

/** Status buttons offering only the moves the state machine allows; "pending" asks whom it waits for. */
export function StatusActions({ ticket, etag, onReload }: Props) {
  const t = useT();
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
    <Panel title={t('ticket.statusPanel')}>
      <div className="stack-sm">
        {move.isError && <Failure error={move.error} onReload={onReload} reset={move.reset} />}
        {next.length === 0 ? (
          <p className="muted">
            {t('ticket.final', {
              status: t(STATUS_LABEL[ticket.status]).toLowerCase(),
            })}
          </p>
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
                {t(moveLabel(ticket.status, s))}
              </Button>
            ))}
          </div>
        )}
        {pending && (
          <div className="inline-form">
            <PendingReasonSelect label={t('ticket.waitingFor')} value={reason} onChange={setReason} />
            <Button size="sm" variant="primary" busy={move.isPending} onClick={() => go('pending', reason)}>
              {t('ticket.setPending')}
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}

/** Team, assignee ("Assign to me" in one click), category, impact, urgency and the priority override. */
export function FieldActions({ ticket, etag, onReload }: Props) {
  const t = useT();
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
    <Panel title={t('ticket.details')}>
      <div className="stack-sm">
        {update.isError && <Failure error={update.error} onReload={onReload} reset={update.reset} />}
        <SelectField
          label={t('ticket.team')}
          value={ticket.teamId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ teamId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('ticket.noTeam')}</option>
          <TeamOptions />
        </SelectField>
        <SelectField
          label={t('ticket.assignee')}
          value={ticket.assigneeId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ assigneeId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('ticket.unassigned')}</option>
          {ticket.assigneeId !== null && !agents.some((u) => u.id === ticket.assigneeId) && (
            <option value={ticket.assigneeId}>{t('ticket.currentAssignee')}</option>
          )}
          <Options
            items={agents}
            value={(u) => u.id}
            label={(u) => (u.id === me.id ? t('ticket.nameMe', { name: u.name }) : u.name)}
          />
        </SelectField>
        {!final && ticket.assigneeId !== me.id && (
          <Button size="sm" busy={update.isPending} onClick={() => save({ assigneeId: me.id })}>
            {t('ticket.assignToMe')}
          </Button>
        )}
        <SelectField
          label={t('ticket.category')}
          value={ticket.categoryId ?? ''}
          disabled={final || update.isPending}
          onChange={(e) => save({ categoryId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('ticket.noCategory')}</option>
          <CategoryOptions />
        </SelectField>
        <div className="form-row">
          <SelectField
            label={t('ticket.impact')}
            value={ticket.impact}
            disabled={final || update.isPending}
            onChange={(e) => save({ impact: Number(e.target.value) })}
          >
            {[1, 2, 3, 4, 5].map(level)}
          </SelectField>
          <SelectField
            label={t('ticket.urgency')}
            value={ticket.urgency}
            disabled={final || update.isPending}
            onChange={(e) => save({ urgency: Number(e.target.value) })}
          >
            {[1, 2, 3, 4, 5].map(level)}
          </SelectField>
        </div>
        <SelectField
          label={t('ticket.priority')}
          hint={t(ticket.priorityOverridden ? 'ticket.setByHand' : 'ticket.fromMatrix')}
          value={ticket.priorityOverridden ? String(ticket.priority) : 'matrix'}
          disabled={final || update.isPending}
          onChange={(e) =>
            save({ priorityOverride: e.target.value === 'matrix' ? null : Number(e.target.value) })
          }
        >
          <option value="matrix">
            {ticket.priorityOverridden
              ? t('ticket.fromMatrixOption')
              : t('ticket.fromMatrixNow', { priority: priorityName(t, ticket.priority) })}
          </option>
          {[1, 2, 3, 4, 5, 6].map((p) => (
            <option key={p} value={p}>
              {t('ticket.override', { priority: priorityName(t, p) })}
            </option>
          ))}
        </SelectField>
      </div>
    </Panel>
  );
}
