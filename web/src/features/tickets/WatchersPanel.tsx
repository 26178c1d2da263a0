import { useState } from 'react';
import { useT } from '../../i18n';
import { Button, ErrorAlert, Options, Panel, SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useUserOptions } from '../users/api';
import { useWatch, useWatchers } from './api';
import { UserName } from './parts';

/** Who follows the ticket; agents add anyone, and everyone can watch or stop watching. */
export function WatchersPanel({ ticketId, final }: { ticketId: string; final: boolean }) {
  const t = useT();
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
      title={t('watchers.title')}
      actions={
        !final && (
          <Button
            size="sm"
            variant="ghost"
            busy={watch.isPending && watch.variables.userId === me.id}
            onClick={() => watch.mutate({ userId: me.id, add: !watching })}
          >
            {watching ? t('watchers.stop') : t('watchers.watch')}
          </Button>
        )
      }
    >
      <div className="stack-sm">
        <ErrorAlert error={watch.error ?? watchers.error} />
        {list.length === 0 ? (
          <p className="muted">{t('watchers.none')}</p>
        ) : (
          <ul className="chips" aria-label={t('watchers.title')}>
            {list.map((w) => (
              <li key={w.userId} className="chip">
                <UserName id={w.userId} />
                {!final && (
                  <button
                    type="button"
                    aria-label={t('watchers.remove')}
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
            <SelectField label={t('watchers.add')} value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">{t('watchers.choose')}</option>
              <Options items={others} value={(u) => u.id} label={(u) => u.name} />
            </SelectField>
            <Button
              size="sm"
              disabled={pick === ''}
              busy={watch.isPending && watch.variables.userId === pick}
              onClick={() => watch.mutate({ userId: pick, add: true }, { onSuccess: () => setPick('') })}
            >
              {t('watchers.addButton')}
            </Button>
          </div>
        )}
      </div>
    </Panel>
  );
}
