import { useState } from 'react';
import type { BulkUpdateTickets, PendingReason, TicketStatus } from '@contracts';
import { Button, ErrorAlert, SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useBulkUpdate } from './api';
import { priorityLabel, STATUS_LABEL } from './labels';
import { PendingReasonSelect, TeamOptions } from './parts';

type Patch = BulkUpdateTickets['patch'];

/** The bar over a selection of tickets: assign, route, move or reprioritise them all at once (all or nothing). */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const me = useCurrentUser();
  const bulk = useBulkUpdate();
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [reason, setReason] = useState<PendingReason>('requester');
  const apply = (patch: Patch) => bulk.mutate({ ids, patch }, { onSuccess: onDone });
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk update">
      <strong>{ids.length} selected</strong>
      <Button size="sm" busy={bulk.isPending} onClick={() => apply({ assigneeId: me.id })}>
        Assign to me
      </Button>
      <SelectField
        label="Route to team"
        value=""
        onChange={(e) =>
          e.target.value !== '' && apply({ teamId: e.target.value === 'none' ? null : e.target.value })
        }
      >
        <option value="">Route to…</option>
        <option value="none">No team</option>
        <TeamOptions />
      </SelectField>
      <SelectField
        label="Set priority"
        value=""
        onChange={(e) =>
          e.target.value !== '' &&
          apply({ priorityOverride: e.target.value === 'matrix' ? null : Number(e.target.value) })
        }
      >
        <option value="">Set priority…</option>
        <option value="matrix">From impact × urgency</option>
        {[1, 2, 3, 4, 5, 6].map((p) => (
          <option key={p} value={p}>
            {priorityLabel(p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Move to status"
        value={status}
        onChange={(e) => setStatus(e.target.value as TicketStatus | '')}
      >
        <option value="">Move to…</option>
        {(['in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </SelectField>
      {status === 'pending' && (
        <PendingReasonSelect label="Selection waits for" value={reason} onChange={setReason} />
      )}
      {status !== '' && (
        <Button
          size="sm"
          variant="primary"
          busy={bulk.isPending}
          onClick={() => apply(status === 'pending' ? { status, pendingReason: reason } : { status })}
        >
          Apply status
        </Button>
      )}
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear selection
      </Button>
      {bulk.isError && (
        <div className="bulk-error">
          <ErrorAlert error={bulk.error} title="Nothing was changed" />
        </div>
      )}
    </div>
  );
}
