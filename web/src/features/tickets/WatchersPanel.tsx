import { useState } from 'react';
import { Button, ErrorAlert, Options, Panel, SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useUserOptions } from '../users/api';
import { useWatch, useWatchers } from './api';
import { UserName } from './parts';

/** Who follows the ticket; agents add anyone, and everyone can watch or stop watching. */
export function WatchersPanel({ ticketId, final }: { ticketId: string; final: boolean }) {
  const me = useCurrentUser();
  const watchers = useWatchers(ticketId);
  const watch = useWatch(ticketId);
  const users = useUserOptions();
  const [pick, setPick] = useState('');
  const list = watchers.data ?? [];
  const watching = list.some((w) => w.userId === me.id);
  const others = (users.data ?? []).filter((u) => u.active && !list.some((w) => w.userId === u.id));
  return (
    <Panel
      title="Watchers"
      actions={
        !final && (
          <Button
            size="sm"
            variant="ghost"
            busy={watch.isPending && watch.variables.userId === me.id}
            onClick={() => watch.mutate({ userId: me.id, add: !watching })}
          >
            {watching ? 'Stop watching' : 'Watch'}
          </Button>
        )
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={watch.error ?? watchers.error} />
        {list.length === 0 ? (
          <p className="muted">Nobody watches this ticket.</p>
        ) : (
          <ul className="chips" aria-label="Watchers">
            {list.map((w) => (
              <li key={w.userId} className="chip">
                <UserName id={w.userId} />
                {!final && (
                  <button
                    type="button"
                    aria-label="Remove watcher"
                    onClick={() => watch.mutate({ userId: w.userId, add: false })}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!final && others.length > 0 && (
          <div className="inline-form">
            <SelectField label="Add a watcher" value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">Choose a person</option>
              <Options items={others} value={(u) => u.id} label={(u) => u.name} />
            </SelectField>
            <Button
              size="sm"
              disabled={pick === ''}
              busy={watch.isPending && watch.variables.userId === pick}
              onClick={() => watch.mutate({ userId: pick, add: true }, { onSuccess: () => setPick('') })}
            >
              Add
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}
