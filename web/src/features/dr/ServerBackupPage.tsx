import { useState, type FormEvent } from 'react';
import type { ServerBackupRun, ServerBackupSettings, UpdateServerBackupSettings } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  Button,
  CheckboxField,
  ErrorAlert,
  FormActions,
  FormError,
  formatDateTime,
  ListTable,
  Loading,
  Notice,
  PageHeader,
  Panel,
  SelectField,
  StaleAlert,
  TextField,
} from '../../ui';
import { useTargets } from '../backup/api';
import { messageAt } from '../backup/drafts';
import { bytes } from '../backup/labels';
import { Pill, When } from '../backup/parts';
import {
  useBackUpNow,
  useSaveServerBackupSettings,
  useServerBackupRuns,
  useServerBackupSettings,
} from './server-backup.api';
import { useT } from '../../i18n';
import { Message } from '../../i18n/Message';
import '../backup/backup.css';

const TONE: Record<ServerBackupRun['status'], 'success' | 'warning' | 'danger'> = {
  running: 'warning',
  succeeded: 'success',
  failed: 'danger',
};

interface Draft {
  enabled: boolean;
  targetId: string;
  folder: string;
  cron: string;
  timeZone: string;
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
}

const draftOf = (s: ServerBackupSettings): Draft => ({
  enabled: s.enabled,
  targetId: s.targetId ?? '',
  folder: s.folder,
  cron: s.cron,
  timeZone: s.timeZone,
  keepDaily: String(s.keepDaily),
  keepWeekly: String(s.keepWeekly),
  keepMonthly: String(s.keepMonthly),
});

/** A count field's value as the API takes it (a non-number goes as is, for the server to refuse by name). */
const count = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));

function bodyOf(d: Draft): UpdateServerBackupSettings {
  return {
    enabled: d.enabled,
    targetId: d.targetId === '' ? null : d.targetId,
    folder: d.folder.trim(),
    cron: d.cron.trim(),
    timeZone: d.timeZone.trim(),
    keepDaily: count(d.keepDaily),
    keepWeekly: count(d.keepWeekly),
    keepMonthly: count(d.keepMonthly),
  };
}

/** The settings form, at the version it was read. */
function SettingsForm({
  settings,
  onSaved,
  onReload,
}: {
  settings: ServerBackupSettings;
  onSaved: () => void;
  onReload: () => void;
}) {
  const t = useT();
  const targets = useTargets();
  const save = useSaveServerBackupSettings();
  const [draft, setDraft] = useState(() => draftOf(settings));
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const err = (path: string) => messageAt(save.error, path) ?? messageAt(save.error, `body.${path}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ patch: bodyOf(draft), version: settings.version }, { onSuccess: onSaved });
  };
  const text = (name: 'folder' | 'cron' | 'timeZone' | 'keepDaily' | 'keepWeekly' | 'keepMonthly') => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => set({ [name]: e.target.value }),
    error: err(name),
    spellCheck: false,
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('dr.server.settingsLabel')}>
      {isApiError(save.error, 'stale') ? (
        <StaleAlert
          what={t('dr.server.what')}
          onReload={() => {
            save.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={save.error} title={t('dr.notSaved')} />
      )}
      <CheckboxField
        label={t('dr.server.enabled')}
        hint={t('dr.server.enabledHint')}
        checked={draft.enabled}
        onChange={(e) => set({ enabled: e.target.checked })}
      />
      <SelectField
        label={t('backup.device.target')}
        hint={t('dr.server.targetHint')}
        value={draft.targetId}
        onChange={(e) => set({ targetId: e.target.value })}
        error={err('targetId')}
      >
        <option value="">{t('dr.server.chooseTarget')}</option>
        {(targets.data ?? []).map((target) => (
          <option key={target.id} value={target.id}>
            {target.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('dr.server.folder')} hint={t('dr.server.folderHint')} {...text('folder')} />
      <TextField label={t('backup.policies.schedule')} hint={t('dr.server.cronHint')} {...text('cron')} />
      <TextField label={t('dr.schedule.timeZone')} hint={t('dr.server.timeZoneHint')} {...text('timeZone')} />
      <fieldset className="policy-fieldset">
        <legend>{t('dr.server.keep')}</legend>
        <TextField label={t('dr.server.daily')} inputMode="numeric" {...text('keepDaily')} />
        <TextField label={t('dr.server.weekly')} inputMode="numeric" {...text('keepWeekly')} />
        <TextField label={t('dr.server.monthly')} inputMode="numeric" {...text('keepMonthly')} />
      </fieldset>
      <FormActions submit={t('dr.server.save')} busy={save.isPending} />
    </form>
  );
}

/** Where the backup stands: the target, the next run, a run going on. */
function Status({ settings }: { settings: ServerBackupSettings }) {
  const t = useT();
  if (settings.runningSince !== null)
    return (
      <Alert tone="info" title={t('dr.server.running')}>
        <Message id="dr.server.started" values={{ when: <When iso={settings.runningSince} /> }} />
      </Alert>
    );
  if (settings.targetName === null) return <Alert tone="warning">{t('dr.server.noTarget')}</Alert>;
  const target = <strong>{settings.targetName}</strong>;
  return (
    <p className="muted">
      {settings.nextRunAt !== null ? (
        <Message
          id="dr.server.goesTo"
          values={{
            target,
            when: <time dateTime={settings.nextRunAt}>{formatDateTime(settings.nextRunAt)}</time>,
          }}
        />
      ) : (
        <Message id="dr.server.goesToOff" values={{ target }} />
      )}
    </p>
  );
}

/**
 * Steward's own backup (admins): where and when Steward backs itself up, a backup on demand, and the runs with
 * their outcome in words. Restoring is `steward server restore` on the new machine (see the README).
 */
export function ServerBackupPage() {
  const t = useT();
  const settings = useServerBackupSettings();
  const runs = useServerBackupRuns();
  const now = useBackUpNow();
  const [saved, setSaved] = useState<number | null>(null);
  const s = settings.data;
  return (
    <>
      <PageHeader
        title={t('dr.server.title')}
        description={
          <Message id="dr.server.about" values={{ command: <code>steward server restore</code> }} />
        }
        actions={
          <Button
            variant="primary"
            busy={now.isPending}
            disabled={s === undefined || s.targetId === null || s.runningSince !== null}
            onClick={() => now.mutate()}
          >
            {t('dr.server.now')}
          </Button>
        }
      />
      <Notice />
      <div className="stack">
        {settings.isPending ? (
          <Loading />
        ) : settings.isError || s === undefined ? (
          <ErrorAlert error={settings.error} title={t('dr.server.notLoaded')} />
        ) : (
          <>
            <Status settings={s} />
            <ErrorAlert error={now.error} title={t('dr.server.notStarted')} />
            <Alert tone="warning" title={t('dr.server.masterKey')}>
              {t('dr.server.masterKeyBody')}
            </Alert>
            {saved !== null && <Alert tone="success">{t('dr.server.saved')}</Alert>}
            <Panel title={t('backup.policies.settings')}>
              <SettingsForm
                key={s.version}
                settings={s}
                onSaved={() => setSaved(Date.now())}
                onReload={() => void settings.refetch()}
              />
            </Panel>
          </>
        )}
        <Panel title={t('dr.server.runs')} padded={false}>
          <ListTable
            query={runs}
            label={t('dr.server.runsLabel')}
            noun={t('dr.server.runsNoun')}
            empty={t('dr.server.noRuns')}
            rowKey={(r) => r.id}
            columns={[
              { header: t('dr.drill.started'), cell: (r) => <When iso={r.startedAt} /> },
              { header: t('dr.server.how'), wide: true, cell: (r) => t(`dr.server.trigger.${r.trigger}`) },
              {
                header: t('dr.drill.outcome'),
                cell: (r) => <Pill tone={TONE[r.status]}>{t(`dr.server.status.${r.status}`)}</Pill>,
              },
              {
                header: t('backup.browse.size'),
                wide: true,
                cell: (r) =>
                  r.status === 'succeeded'
                    ? t('dr.server.size', { total: bytes(r.bytesTotal), added: bytes(r.bytesAdded) })
                    : '—',
              },
              {
                header: t('backup.folder.snapshot'),
                className: 'mono',
                cell: (r) => (r.snapshotId === null ? '—' : r.snapshotId.slice(0, 8)),
              },
              { header: t('dr.drill.problem'), cell: (r) => r.error ?? '' },
            ]}
          />
          {runs.hasNextPage && (
            <div className="panel-body">
              <Button busy={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
                {t('dr.server.older')}
              </Button>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
