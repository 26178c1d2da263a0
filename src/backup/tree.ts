/**
 * Tree blobs: `{"nodes":[...]}\n`, nodes sorted by raw name bytes, fields in restic's Go struct order with its
 * omitempty rules. Encoding is byte-identical to restic so tree ids (dedup, parent matching) agree.
 */
import { FormatError } from './errors.js';
import {
  encodeNodeName,
  goJsonString,
  goJsonStringBytes,
  goJsonTime,
  goUnquote,
  parseJsonLossless,
  parseRFC3339,
  type GoTime,
  type JsonValue,
} from './gojson.js';

/** Node types restic writes (`check` rejects others, e.g. `irregular`). */
export type NodeType = 'file' | 'dir' | 'symlink' | 'dev' | 'chardev' | 'fifo' | 'socket';

/** Go os.FileMode type bits as restic stores them in `mode`. */
export const MODE = {
  dir: 1 << 31,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
} as const;

/** An extended attribute. */
export interface ExtendedAttribute {
  name: string;
  value: Buffer;
}

/** One entry of a tree. Optional fields are omitted from the JSON when undefined or zero, as Go's omitempty does. */
export interface Node {
  /** Raw name bytes (may be invalid UTF-8). */
  name: Buffer;
  type: NodeType | (string & {});
  /** Go os.FileMode bits (uint32). */
  mode?: number;
  mtime: GoTime;
  atime: GoTime;
  ctime: GoTime;
  uid: number;
  gid: number;
  user?: string;
  group?: string;
  inode?: bigint;
  deviceId?: bigint;
  size?: number;
  links?: number;
  /** Symlink target as a Go string (raw bytes; invalid UTF-8 becomes U+FFFD in JSON). */
  linktarget?: Buffer;
  /** Exact target bytes when not valid UTF-8 (restic >= 0.16). */
  linktargetRaw?: Buffer;
  extendedAttributes?: ExtendedAttribute[];
  /** Windows generic attributes: key -> compact JSON text (kept verbatim). */
  genericAttributes?: Record<string, string>;
  device?: bigint;
  /** Data blob ids of a file (`[]` when empty); null for other types. */
  content: string[] | null;
  subtree?: string;
  error?: string;
}

/** A decoded tree. */
export interface Tree {
  nodes: Node[];
}

/** Compares raw name bytes like Go's string comparison (restic's sort order). */
export function compareNames(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** Sorts nodes in place into restic's order. */
export function sortNodes(nodes: Node[]): Node[] {
  return nodes.sort((a, b) => Buffer.compare(a.name, b.name));
}

function compactJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`;
  return `{${Object.keys(v)
    .map((k) => `${goJsonString(k)}:${compactJson(v[k]!)}`)
    .join(',')}}`;
}

/** The JSON of one node, exactly as restic writes it. */
export function encodeNode(n: Node): string {
  let s = `{"name":${encodeNodeName(n.name)},"type":${goJsonString(n.type)}`;
  if (n.mode) s += `,"mode":${n.mode >>> 0}`;
  s += `,"mtime":${goJsonTime(n.mtime)},"atime":${goJsonTime(n.atime)},"ctime":${goJsonTime(n.ctime)},"uid":${n.uid},"gid":${n.gid}`;
  if (n.user) s += `,"user":${goJsonString(n.user)}`;
  if (n.group) s += `,"group":${goJsonString(n.group)}`;
  if (n.inode) s += `,"inode":${n.inode}`;
  if (n.deviceId) s += `,"device_id":${n.deviceId}`;
  if (n.size) s += `,"size":${n.size}`;
  if (n.links) s += `,"links":${n.links}`;
  if (n.linktarget?.length) s += `,"linktarget":${goJsonStringBytes(n.linktarget)}`;
  if (n.linktargetRaw?.length) s += `,"linktarget_raw":"${n.linktargetRaw.toString('base64')}"`;
  if (n.extendedAttributes?.length) {
    s += `,"extended_attributes":[${n.extendedAttributes.map((x) => `{"name":${goJsonString(x.name)},"value":"${x.value.toString('base64')}"}`).join(',')}]`;
  }
  if (n.genericAttributes && Object.keys(n.genericAttributes).length) {
    const keys = Object.keys(n.genericAttributes).sort();
    s += `,"generic_attributes":{${keys.map((k) => `${goJsonString(k)}:${n.genericAttributes![k]!}`).join(',')}}`;
  }
  if (n.device) s += `,"device":${n.device}`;
  s += `,"content":${n.content === null ? 'null' : `[${n.content.map((c) => `"${c}"`).join(',')}]`}`;
  if (n.subtree) s += `,"subtree":"${n.subtree}"`;
  if (n.error) s += `,"error":${goJsonString(n.error)}`;
  return s + '}';
}

/** The bytes of a tree blob. Nodes must already be sorted (see {@link sortNodes}); this does not reorder. */
export function encodeTree(nodes: readonly Node[]): Buffer {
  return Buffer.from(`{"nodes":[${nodes.map(encodeNode).join(',')}]}\n`);
}

const ID = /^[0-9a-f]{64}$/;
type Obj = { [k: string]: JsonValue };

function num(v: JsonValue | undefined, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new FormatError(`node ${what}: not a number`);
}
function big(v: JsonValue | undefined, what: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new FormatError(`node ${what}: not an integer`);
}
function str(v: JsonValue | undefined, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw new FormatError(`node ${what}: not a string`);
}
function time(v: JsonValue | undefined): GoTime {
  // Go's zero time: restic writes "0001-01-01T00:00:00Z" for a missing time.
  return typeof v === 'string' ? parseRFC3339(v) : parseRFC3339('0001-01-01T00:00:00Z');
}

/** Decodes one node object. Throws {@link FormatError} for malformed fields. */
export function decodeNode(o: Obj): Node {
  const name = str(o.name, 'name');
  if (name === undefined) throw new FormatError('node without name');
  const type = str(o.type, 'type') ?? '';
  const content = o.content;
  if (
    content !== undefined &&
    content !== null &&
    !(Array.isArray(content) && content.every((c) => typeof c === 'string' && ID.test(c)))
  ) {
    throw new FormatError('node content: not a list of ids');
  }
  const n: Node = {
    name: goUnquote(name),
    type,
    mtime: time(o.mtime),
    atime: time(o.atime),
    ctime: time(o.ctime),
    uid: num(o.uid, 'uid') ?? 0,
    gid: num(o.gid, 'gid') ?? 0,
    content: Array.isArray(content) ? (content as string[]) : null,
  };
  const mode = num(o.mode, 'mode');
  if (mode) n.mode = mode;
  const set = <K extends keyof Node>(k: K, v: Node[K] | undefined): void => {
    if (v !== undefined && v !== '' && v !== 0 && v !== 0n) n[k] = v;
  };
  set('user', str(o.user, 'user'));
  set('group', str(o.group, 'group'));
  set('inode', big(o.inode, 'inode'));
  set('deviceId', big(o.device_id, 'device_id'));
  set('size', num(o.size, 'size'));
  set('links', num(o.links, 'links'));
  const lt = str(o.linktarget, 'linktarget');
  if (lt) n.linktarget = Buffer.from(lt, 'utf8');
  const ltr = str(o.linktarget_raw, 'linktarget_raw');
  if (ltr) n.linktargetRaw = Buffer.from(ltr, 'base64');
  if (Array.isArray(o.extended_attributes)) {
    n.extendedAttributes = (o.extended_attributes as Obj[]).map((x) => ({
      name: str(x.name, 'xattr name') ?? '',
      value: Buffer.from(str(x.value, 'xattr value') ?? '', 'base64'),
    }));
  }
  const ga = o.generic_attributes;
  if (ga && typeof ga === 'object' && !Array.isArray(ga)) {
    n.genericAttributes = {};
    for (const [k, v] of Object.entries(ga)) n.genericAttributes[k] = compactJson(v);
  }
  set('device', big(o.device, 'device'));
  const sub = str(o.subtree, 'subtree');
  if (sub !== undefined) {
    if (!ID.test(sub)) throw new FormatError('node subtree: not an id');
    n.subtree = sub;
  }
  set('error', str(o.error, 'error'));
  return n;
}

/** Decodes tree blob bytes (losslessly: inodes beyond 2^53 stay exact). Throws {@link FormatError}. */
export function decodeTree(bytes: Buffer): Tree {
  let j: JsonValue;
  try {
    j = parseJsonLossless(bytes.toString('utf8'));
  } catch (e) {
    throw e instanceof FormatError ? e : new FormatError('tree is not JSON');
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new FormatError('tree is not an object');
  const nodes = j.nodes;
  if (nodes === null || nodes === undefined) return { nodes: [] };
  if (!Array.isArray(nodes)) throw new FormatError('tree nodes is not a list');
  return {
    nodes: nodes.map((x) => {
      if (typeof x !== 'object' || x === null || Array.isArray(x))
        throw new FormatError('tree node is not an object');
      return decodeNode(x);
    }),
  };
}

/** The symlink target bytes to restore: the raw form when present, else the UTF-8 text. */
export function linkTargetBytes(n: Node): Buffer {
  return n.linktargetRaw ?? n.linktarget ?? Buffer.alloc(0);
}
