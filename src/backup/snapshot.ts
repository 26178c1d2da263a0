/**
 * Snapshot JSON (`snapshots/<id>`), restic field order:
 * time, parent, tree, paths, hostname, username, uid, gid, excludes, tags, original, program_version, summary.
 */
import { FormatError } from './errors.js';
import { goJsonString, goJsonTime, parseRFC3339, type GoTime } from './gojson.js';

/** Backup statistics restic >= 0.17 stores in a snapshot. */
export interface SnapshotSummary {
  backupStart: GoTime;
  backupEnd: GoTime;
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  dirsNew: number;
  dirsChanged: number;
  dirsUnmodified: number;
  dataBlobs: number;
  treeBlobs: number;
  dataAdded: number;
  dataAddedPacked: number;
  totalFilesProcessed: number;
  totalBytesProcessed: number;
}

/** A snapshot. Optional fields are omitted when undefined, empty or zero (Go omitempty). */
export interface Snapshot {
  time: GoTime;
  parent?: string;
  tree: string;
  paths: string[];
  hostname?: string;
  username?: string;
  uid?: number;
  gid?: number;
  excludes?: string[];
  tags?: string[];
  original?: string;
  programVersion?: string;
  summary?: SnapshotSummary;
}

/** A snapshot with the id of the file it was read from. */
export interface StoredSnapshot extends Snapshot {
  id: string;
}

const SUMMARY_FIELDS: [keyof SnapshotSummary, string][] = [
  ['filesNew', 'files_new'],
  ['filesChanged', 'files_changed'],
  ['filesUnmodified', 'files_unmodified'],
  ['dirsNew', 'dirs_new'],
  ['dirsChanged', 'dirs_changed'],
  ['dirsUnmodified', 'dirs_unmodified'],
  ['dataBlobs', 'data_blobs'],
  ['treeBlobs', 'tree_blobs'],
  ['dataAdded', 'data_added'],
  ['dataAddedPacked', 'data_added_packed'],
  ['totalFilesProcessed', 'total_files_processed'],
  ['totalBytesProcessed', 'total_bytes_processed'],
];

const list = (a: string[]): string => `[${a.map(goJsonString).join(',')}]`;

/** The snapshot's JSON, as restic writes it. */
export function encodeSnapshot(s: Snapshot): string {
  let o = `{"time":${goJsonTime(s.time)}`;
  if (s.parent) o += `,"parent":"${s.parent}"`;
  o += `,"tree":"${s.tree}","paths":${list(s.paths)}`;
  if (s.hostname) o += `,"hostname":${goJsonString(s.hostname)}`;
  if (s.username) o += `,"username":${goJsonString(s.username)}`;
  if (s.uid) o += `,"uid":${s.uid}`;
  if (s.gid) o += `,"gid":${s.gid}`;
  if (s.excludes?.length) o += `,"excludes":${list(s.excludes)}`;
  if (s.tags?.length) o += `,"tags":${list(s.tags)}`;
  if (s.original) o += `,"original":"${s.original}"`;
  if (s.programVersion) o += `,"program_version":${goJsonString(s.programVersion)}`;
  if (s.summary) {
    const m = s.summary;
    // Go's omitempty never drops a struct; the fields inside are always written.
    o += `,"summary":{"backup_start":${goJsonTime(m.backupStart)},"backup_end":${goJsonTime(m.backupEnd)}`;
    for (const [k, j] of SUMMARY_FIELDS) o += `,"${j}":${m[k] as number}`;
    o += '}';
  }
  return o + '}';
}

type Raw = Record<string, unknown>;
const ID = /^[0-9a-f]{64}$/;
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && v !== 0 ? v : undefined);

/** Parses snapshot JSON; throws {@link FormatError} when time or tree are missing or malformed. */
export function decodeSnapshot(json: Buffer | string): Snapshot {
  let j: Raw;
  try {
    j = JSON.parse(json.toString()) as Raw;
  } catch {
    throw new FormatError('snapshot is not JSON');
  }
  if (typeof j !== 'object' || j === null) throw new FormatError('snapshot is not an object');
  if (typeof j.time !== 'string') throw new FormatError('snapshot without time');
  if (typeof j.tree !== 'string' || !ID.test(j.tree))
    throw new FormatError('snapshot without a valid tree id');
  const s: Snapshot = { time: parseRFC3339(j.time), tree: j.tree, paths: strs(j.paths) ?? [] };
  const assign = <K extends keyof Snapshot>(k: K, v: Snapshot[K] | undefined): void => {
    if (v !== undefined) s[k] = v;
  };
  assign('parent', optStr(j.parent));
  assign('hostname', optStr(j.hostname));
  assign('username', optStr(j.username));
  assign('uid', optNum(j.uid));
  assign('gid', optNum(j.gid));
  const ex = strs(j.excludes);
  if (ex?.length) s.excludes = ex;
  const tags = strs(j.tags);
  if (tags?.length) s.tags = tags;
  assign('original', optStr(j.original));
  assign('programVersion', optStr(j.program_version));
  const sum = j.summary as Raw | undefined;
  if (sum && typeof sum === 'object') {
    const m = {
      backupStart: parseRFC3339(
        typeof sum.backup_start === 'string' ? sum.backup_start : '0001-01-01T00:00:00Z',
      ),
      backupEnd: parseRFC3339(typeof sum.backup_end === 'string' ? sum.backup_end : '0001-01-01T00:00:00Z'),
    } as SnapshotSummary;
    for (const [k, f] of SUMMARY_FIELDS) (m[k] as number) = typeof sum[f] === 'number' ? sum[f] : 0;
    s.summary = m;
  }
  return s;
}
