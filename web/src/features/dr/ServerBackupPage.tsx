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
import '../backup/backup.css';

const TRIGGER_LABEL: Record<ServerBackupRun['trigger'], string> = {
  schedule: 'On schedule',
  manual: 'By hand',
};
const STATUS: Record<ServerBackupRun['status'], { label: string; tone: 'success' | 'warning' | 'danger' }> = {
  running: { label: 'Running', tone: 'warning' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
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
    <form className="form" onSubmit={submit} noValidate aria-label="Steward’s own backup settings">
      {isApiError(save.error, 'stale') ? (
        <StaleAlert
          what="setting"
          onReload={() => {
            save.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={save.error} title="Not saved" />
      )}
      <CheckboxField
        label="Back Steward up on its schedule"
        hint="Its database (with every attachment), configuration and audit checkpoints."
        checked={draft.enabled}
        onChange={(e) => set({ enabled: e.target.checked })}
      />
      <SelectField
        label="Storage target"
        hint="Where the backups go: one of the registered storage targets."
        value={draft.targetId}
        onChange={(e) => set({ targetId: e.target.value })}
        error={err('targetId')}
      >
        <option value="">Choose a target…</option>
        {(targets.data ?? []).map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Folder on the target"
        hint="The repository’s folder below the target."
        {...text('folder')}
      />
      <TextField
        label="Schedule"
        hint="A cron pattern: “30 1 * * *” is every night at 01:30."
        {...text('cron')}
      />
      <TextField
        label="Time zone"
        hint="As the schedule is read, e.g. Europe/Paris or UTC."
        {...text('timeZone')}
      />
      <fieldset className="policy-fieldset">
        <legend>Keep</legend>
        <TextField label="Daily backups" inputMode="numeric" {...text('keepDaily')} />
        <TextField label="Weekly backups" inputMode="numeric" {...text('keepWeekly')} />
        <TextField label="Monthly backups" inputMode="numeric" {...text('keepMonthly')} />
      </fieldset>
      <FormActions submit="Save settings" busy={save.isPending} />
    </form>
  );
}

/** Where the backup stands: the target, the next run, a run going on. */
function Status({ settings }: { settings: ServerBackupSettings }) {
  if (settings.runningSince !== null)
    return (
      <Alert tone="info" title="Steward is backing itself up">
        Started <When iso={settings.runningSince} />.
      </Alert>
    );
  if (settings.targetName === null)
    return <Alert tone="warning">Steward is not backed up: choose a storage target below.</Alert>;
  return (
    <p className="muted">
      Backups go to <strong>{settings.targetName}</strong>
      {settings.nextRunAt !== null ? (
        <>
          ; the next one is due{' '}
          <time dateTime={settings.nextRunAt}>{formatDateTime(settings.nextRunAt)}</time>.
        </>
      ) : (
        '; the schedule is off: only backups started by hand run.'
      )}
    </p>
  );
}

/**
 * Steward's own backup (admins): where and when Steward backs itself up, a backup on demand, and the runs with
 * their outcome in words. Restoring is `steward server restore` on the new machine (see the README).
 */
export function ServerBackupPage() {
  const settings = useServerBackupSettings();
  const runs = useServerBackupRuns();
  const now = useBackUpNow();
  const [saved, setSaved] = useState<number | null>(null);
  const s = settings.data;
  return (
    <>
      <PageHeader
        title="Steward’s own backup"
        description={
          <>
            Steward backs up its own database, configuration and audit checkpoints, so that it can be rebuilt
            on a new machine with <code>steward server restore</code>.
          </>
        }
        actions={
          <Button
            variant="primary"
            busy={now.isPending}
            disabled={s === undefined || s.targetId === null || s.runningSince !== null}
            onClick={() => now.mutate()}
          >
            Back up now
          </Button>
        }
      />
      <Notice />
      <div className="stack">
        {settings.isPending ? (
          <Loading />
        ) : settings.isError || s === undefined ? (
          <ErrorAlert error={settings.error} title="The settings could not be loaded" />
        ) : (
          <>
            <Status settings={s} />
            <ErrorAlert error={now.error} title="The backup did not start" />
            <Alert tone="warning" title="Keep the master key somewhere else">
              The backups are encrypted with a key derived from the master key. Without a copy of it kept off
              this machine, they cannot be restored.
            </Alert>
            {saved !== null && <Alert tone="success">The settings were saved.</Alert>}
            <Panel title="Settings">
              <SettingsForm
                key={s.version}
                settings={s}
                onSaved={() => setSaved(Date.now())}
                onReload={() => void settings.refetch()}
              />
            </Panel>
          </>
        )}
        <Panel title="Runs" padded={false}>
          <ListTable
            query={runs}
            label="Runs of Steward’s own backup"
            noun="runs"
            empty="No backup of Steward yet."
            rowKey={(r) => r.id}
            columns={[
              { header: 'Started', cell: (r) => <When iso={r.startedAt} /> },
              { header: 'How', wide: true, cell: (r) => TRIGGER_LABEL[r.trigger] },
              {
                header: 'Outcome',
                cell: (r) => <Pill tone={STATUS[r.status].tone}>{STATUS[r.status].label}</Pill>,
              },
              {
                header: 'Size',
                wide: true,
                cell: (r) =>
                  r.status === 'succeeded' ? `${bytes(r.bytesTotal)} (${bytes(r.bytesAdded)} new)` : '—',
              },
              {
                header: 'Snapshot',
                className: 'mono',
                cell: (r) => (r.snapshotId === null ? '—' : r.snapshotId.slice(0, 8)),
              },
              { header: 'Problem', cell: (r) => r.error ?? '' },
            ]}
          />
          {runs.hasNextPage && (
            <div className="panel-body">
              <Button busy={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
                Show older runs
              </Button>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
