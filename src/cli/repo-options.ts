/**
 * The global `repo` options that shape how a repository is reached: `--cacert` (root certificates for https),
 * `-o key=value` (restic's extended options; an unknown one is an error; `<backend>.connections=N` bounds the
 * operations in flight at once, `s3.region` picks the region).
 */
import { readFileSync } from 'node:fs';
import type { BandwidthLimits } from '../backup/backend/limit.js';
import type { BackendExtras } from '../backup/backend/location.js';
import { parseLocation } from '../backup/backend/location.js';
import { CliError } from './io.js';
import type { GlobalRepoOptions } from './repo.js';

const EXIT_ERROR = 1;

/** restic 0.14's extended options by backend, and what Steward does with each. */
const KNOWN: Record<
  string,
  Record<string, 'number' | 'default-layout' | 'region' | 'ignored' | 'unsupported'>
> = {
  local: { connections: 'number', layout: 'default-layout' },
  sftp: { connections: 'number', layout: 'default-layout', command: 'unsupported', args: 'unsupported' },
  rest: { connections: 'number' },
  s3: {
    connections: 'number',
    layout: 'default-layout',
    region: 'region',
    'storage-class': 'unsupported',
    'bucket-lookup': 'unsupported',
    'list-objects-v1': 'unsupported',
  },
};
const OTHER_BACKENDS = ['b2', 'azure', 'gs', 'swift', 'rclone'];

/** `-o` as key → value; throws a clear error for a malformed or unknown one. */
export function parseExtendedOptions(list: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of list) {
    const i = o.indexOf('=');
    if (i <= 0) throw new CliError(`invalid option ${JSON.stringify(o)}: expected key=value`, EXIT_ERROR);
    const key = o.slice(0, i);
    const dot = key.indexOf('.');
    const ns = dot < 0 ? '' : key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (!(ns in KNOWN) && !OTHER_BACKENDS.includes(ns))
      throw new CliError(
        `option ${key} is not known (options are backend.name=value, e.g. s3.region=eu-west-1)`,
        EXIT_ERROR,
      );
    if (ns in KNOWN && !(name in KNOWN[ns]!)) throw new CliError(`option ${key} is not known`, EXIT_ERROR);
    out.set(key, o.slice(i + 1));
  }
  return out;
}

/** `--limit-upload` / `--limit-download` (KiB/s, 0 or absent: unlimited) as bytes/s. */
export function bandwidthOf(g: GlobalRepoOptions): BandwidthLimits {
  const rate = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v.trim()))
      throw new CliError(`--${flag} must be a whole number of KiB/s (0 = unlimited)`, EXIT_ERROR);
    return Number(v) * 1024;
  };
  return {
    uploadBytesPerSec: rate(g.limitUpload, 'limit-upload'),
    downloadBytesPerSec: rate(g.limitDownload, 'limit-download'),
  };
}

/** Checks the global options that can be checked before anything is opened. */
export function checkGlobalOptions(g: GlobalRepoOptions): void {
  parseExtendedOptions(g.option ?? []);
  bandwidthOf(g);
}

/** What the global options add to opening the location `location`. */
export function backendOptionsOf(g: GlobalRepoOptions, location: string): BackendExtras {
  const extras: BackendExtras = {};
  if (g.cacert?.length) {
    extras.ca = g.cacert.map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch (e) {
        throw new CliError(
          `unable to read root certificate: ${e instanceof Error ? e.message : String(e)}`,
          EXIT_ERROR,
        );
      }
    });
  }
  let kind: string;
  try {
    kind = parseLocation(location).kind;
  } catch {
    return extras; // opening it reports the problem
  }
  for (const [key, value] of parseExtendedOptions(g.option ?? [])) {
    const [ns, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
    if (ns !== kind) continue; // as restic: options of another kind of backend are ignored
    const use = KNOWN[ns]![name]!;
    if (use === 'number' && !/^\d+$/.test(value))
      throw new CliError(`option ${key}: ${JSON.stringify(value)} is not a number`, EXIT_ERROR);
    if (name === 'connections') {
      if (Number(value) < 1)
        throw new CliError(`option ${key}: the number of connections must be at least 1`, EXIT_ERROR);
      extras.connections = Number(value);
    }
    if (use === 'default-layout' && value !== 'default')
      throw new CliError(
        `option ${key}=${value}: Steward reads and writes the default layout only`,
        EXIT_ERROR,
      );
    if (use === 'unsupported') throw new CliError(`option ${key} is not supported by Steward`, EXIT_ERROR);
    if (use === 'region') extras.s3Region = value;
  }
  return extras;
}
