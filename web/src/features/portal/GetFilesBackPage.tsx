import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { defaultDestination, parentOf, type OverwriteMode, type BrowseSnapshot } from '@contracts';
import {
  Button,
  Empty,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  formatDateTime,
} from '../../ui';
import { Msg, useT, type Translate } from '../../i18n';
import { useMyBackedUpDevices, useMySnapshots, useSelfServiceRestore, useSnapshotFolder } from './api';

/** Where a browse of a snapshot starts: the one folder it backed up, else the top. */
const startOf = (s: BrowseSnapshot | undefined) => (s && s.paths.length === 1 ? s.paths[0]! : '/');
const up = (path: string) => parentOf([path]);
const kib = (t: Translate, n: number | null) =>
  n === null ? '' : t('files.kib', { n: Math.max(1, Math.ceil(n / 1024)) });

/** One folder of the backup: open folders, tick files and folders (of this folder) to get back. */
function FolderPicker(props: {
  ciId: string;
  snapshotId: string;
  path: string;
  onPath: (p: string) => void;
  picked: string[];
  onPicked: (p: string[]) => void;
}) {
  const t = useT();
  const q = useSnapshotFolder(props.ciId, props.snapshotId, props.path);
  const toggle = (p: string, on: boolean) =>
    props.onPicked(on ? [...props.picked, p] : props.picked.filter((x) => x !== p));
  return (
    <fieldset className="checks" aria-label={t('filesBack.filesAndFolders')}>
      <legend className="field-label">
        <Msg id="filesBack.filesIn" values={{ path: <span className="mono">{props.path}</span> }} />
      </legend>
      {props.path !== '/' && (
        <Button size="sm" onClick={() => props.onPath(up(props.path))}>
          {t('filesBack.upTo', { path: up(props.path) })}
        </Button>
      )}
      <ErrorAlert error={q.error} title={t('filesBack.folderFailed')} />
      {q.isPending && <Loading />}
      {q.data?.entries.length === 0 && <Empty>{t('filesBack.folderEmpty')}</Empty>}
      <div className="check-list">
        {q.data?.entries.map((e) => (
          <div key={e.path} className="check">
            <input
              type="checkbox"
              checked={props.picked.includes(e.path)}
              onChange={(ev) => toggle(e.path, ev.target.checked)}
              aria-label={t('filesBack.getBack', { name: e.name })}
            />
            <span>
              {e.type === 'dir' ? (
                <Button variant="ghost" size="sm" onClick={() => props.onPath(e.path)}>
                  {t('filesBack.open', { name: e.name })}
                </Button>
              ) : (
                e.name
              )}{' '}
              <span className="muted">
                {kib(t, e.size)} {formatDateTime(e.mtime)}
              </span>
            </span>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * "Get my files back": pick one of my computers, one of its backups, the files and folders, and where they go;
 * Steward opens a service request and the computer's agent restores them, then resolves the request.
 */
export function GetFilesBackPage() {
  const t = useT();
  const navigate = useNavigate();
  const devices = useMyBackedUpDevices();
  const [ciId, setCiId] = useState('');
  const snapshots = useMySnapshots(ciId);
  const [snapshotId, setSnapshotId] = useState('');
  const [path, setPath] = useState('/');
  const [picked, setPicked] = useState<string[]>([]);
  const [where, setWhere] = useState<'new' | 'original' | 'other'>('new');
  const [other, setOther] = useState('');
  const [overwrite, setOverwrite] = useState<OverwriteMode>('never');
  const create = useSelfServiceRestore();
  const withBackups = devices.data?.items.filter((d) => d.hasBackups) ?? [];

  const pickDevice = (id: string) => {
    setCiId(id);
    setSnapshotId('');
    setPicked([]);
  };
  const pickSnapshot = (id: string) => {
    setSnapshotId(id);
    setPath(startOf(snapshots.data?.snapshots.find((s) => s.id === id)));
    setPicked([]);
  };
  const openFolder = (p: string) => {
    setPath(p);
    setPicked([]); // one folder's items at a time
  };
  const folder =
    picked.length === 0
      ? ''
      : where === 'new'
        ? defaultDestination(picked, new Date())
        : where === 'original'
          ? parentOf(picked)
          : other;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { ciId, snapshotId, paths: picked, destinationFolder: folder, overwrite, note: '' },
      {
        onSuccess: (r) =>
          void navigate(`/portal/tickets/${r.ticketId}`, {
            state: {
              notice: t('filesBack.opened', { key: r.ticketKey }),
            },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('portal.filesBack')}
        description={t('filesBack.description')}
        back={{ to: '/portal', label: t('portal.title') }}
      />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label={t('portal.filesBack')}>
          <FormError error={create.error} title={t('filesBack.notSent')} />
          <ErrorAlert error={devices.error ?? snapshots.error} title={t('filesBack.backupsFailed')} />
          {devices.data && withBackups.length === 0 && <Empty>{t('filesBack.noBackups')}</Empty>}
          <SelectField
            label={t('filesBack.computer')}
            value={ciId}
            onChange={(e) => pickDevice(e.target.value)}
          >
            <option value="">{t('filesBack.chooseComputer')}</option>
            {withBackups.map((d) => (
              <option key={d.ciId} value={d.ciId}>
                {d.name}
              </option>
            ))}
          </SelectField>
          {ciId !== '' && (
            <SelectField
              label={t('filesBack.backup')}
              value={snapshotId}
              onChange={(e) => pickSnapshot(e.target.value)}
            >
              <option value="">
                {snapshots.isPending ? t('common.loading') : t('filesBack.chooseBackup')}
              </option>
              {snapshots.data?.snapshots.map((s) => (
                <option key={s.id} value={s.id}>
                  {formatDateTime(s.time)}
                </option>
              ))}
            </SelectField>
          )}
          {snapshotId !== '' && (
            <FolderPicker
              ciId={ciId}
              snapshotId={snapshotId}
              path={path}
              onPath={openFolder}
              picked={picked}
              onPicked={setPicked}
            />
          )}
          {picked.length > 0 && (
            <>
              <SelectField
                label={t('filesBack.where')}
                value={where}
                onChange={(e) => setWhere(e.target.value as typeof where)}
              >
                <option value="new">
                  {t('filesBack.newFolder', { folder: defaultDestination(picked, new Date()) })}
                </option>
                <option value="original">{t('filesBack.original', { folder: parentOf(picked) })}</option>
                <option value="other">{t('filesBack.other')}</option>
              </SelectField>
              {where === 'other' && (
                <TextField
                  label={t('filesBack.folder')}
                  required
                  value={other}
                  onChange={(e) => setOther(e.target.value)}
                />
              )}
              <SelectField
                label={t('filesBack.ifThere')}
                value={overwrite}
                onChange={(e) => setOverwrite(e.target.value as OverwriteMode)}
              >
                <option value="never">{t('filesBack.keep')}</option>
                <option value="if-newer">{t('filesBack.ifNewer')}</option>
                <option value="always">{t('filesBack.replace')}</option>
              </SelectField>
            </>
          )}
          <FormActions submit={t('portal.filesBack')} busy={create.isPending} cancelTo="/portal" />
        </form>
      </Panel>
    </>
  );
}
