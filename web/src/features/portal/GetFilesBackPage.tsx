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
import { useMyBackedUpDevices, useMySnapshots, useSelfServiceRestore, useSnapshotFolder } from './api';

/** Where a browse of a snapshot starts: the one folder it backed up, else the top. */
const startOf = (s: BrowseSnapshot | undefined) => (s && s.paths.length === 1 ? s.paths[0]! : '/');
const up = (path: string) => parentOf([path]);
const kib = (n: number | null) => (n === null ? '' : `${Math.max(1, Math.ceil(n / 1024))} KiB`);

/** One folder of the backup: open folders, tick files and folders (of this folder) to get back. */
function FolderPicker(props: {
  ciId: string;
  snapshotId: string;
  path: string;
  onPath: (p: string) => void;
  picked: string[];
  onPicked: (p: string[]) => void;
}) {
  const q = useSnapshotFolder(props.ciId, props.snapshotId, props.path);
  const toggle = (p: string, on: boolean) =>
    props.onPicked(on ? [...props.picked, p] : props.picked.filter((x) => x !== p));
  return (
    <fieldset className="checks" aria-label="Files and folders">
      <legend className="field-label">
        Files and folders in <span className="mono">{props.path}</span>
      </legend>
      {props.path !== '/' && (
        <Button size="sm" onClick={() => props.onPath(up(props.path))}>
          Up to {up(props.path)}
        </Button>
      )}
      <ErrorAlert error={q.error} title="This folder could not be read" />
      {q.isPending && <Loading />}
      {q.data?.entries.length === 0 && <Empty>This folder is empty.</Empty>}
      <div className="check-list">
        {q.data?.entries.map((e) => (
          <div key={e.path} className="check">
            <input
              type="checkbox"
              checked={props.picked.includes(e.path)}
              onChange={(ev) => toggle(e.path, ev.target.checked)}
              aria-label={`Get back ${e.name}`}
            />
            <span>
              {e.type === 'dir' ? (
                <Button variant="ghost" size="sm" onClick={() => props.onPath(e.path)}>
                  Open {e.name}/
                </Button>
              ) : (
                e.name
              )}{' '}
              <span className="muted">
                {kib(e.size)} {formatDateTime(e.mtime)}
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
              notice: `Your request ${r.ticketKey} was opened: your computer will restore the files.`,
            },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title="Get my files back"
        description="Pick a backup of your computer and the files you lost; your computer restores them."
        back={{ to: '/portal', label: 'Help & requests' }}
      />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label="Get my files back">
          <FormError error={create.error} title="Your request was not sent" />
          <ErrorAlert error={devices.error ?? snapshots.error} title="Your backups could not be read" />
          {devices.data && withBackups.length === 0 && (
            <Empty>None of your computers has backups yet. Ask IT to set them up.</Empty>
          )}
          <SelectField label="Computer" value={ciId} onChange={(e) => pickDevice(e.target.value)}>
            <option value="">Choose a computer</option>
            {withBackups.map((d) => (
              <option key={d.ciId} value={d.ciId}>
                {d.name}
              </option>
            ))}
          </SelectField>
          {ciId !== '' && (
            <SelectField label="Backup" value={snapshotId} onChange={(e) => pickSnapshot(e.target.value)}>
              <option value="">{snapshots.isPending ? 'Loading…' : 'Choose a backup'}</option>
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
                label="Where should they go?"
                value={where}
                onChange={(e) => setWhere(e.target.value as typeof where)}
              >
                <option value="new">A new folder “{defaultDestination(picked, new Date())}”</option>
                <option value="original">Back where they were ({parentOf(picked)})</option>
                <option value="other">Another folder…</option>
              </SelectField>
              {where === 'other' && (
                <TextField label="Folder" required value={other} onChange={(e) => setOther(e.target.value)} />
              )}
              <SelectField
                label="If a file is already there"
                value={overwrite}
                onChange={(e) => setOverwrite(e.target.value as OverwriteMode)}
              >
                <option value="never">Keep it (do not overwrite)</option>
                <option value="if-newer">Replace it if the backup is newer</option>
                <option value="always">Replace it</option>
              </SelectField>
            </>
          )}
          <FormActions submit="Get my files back" busy={create.isPending} cancelTo="/portal" />
        </form>
      </Panel>
    </>
  );
}
