/**
 * Key files (`keys/<id>`): plain JSON holding scrypt parameters and the master key encrypted with the password-derived key.
 * Several key files may wrap the same master key (several passwords); changing a password never re-encrypts data.
 */
import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { hostname as osHostname, userInfo } from 'node:os';
import type { Backend } from './backend/backend.js';
import {
  decrypt,
  encrypt,
  keyFromBytes,
  masterKeyFromJSON,
  masterKeyToJSON,
  sha256Hex,
  type MasterKey,
} from './crypto.js';
import { FormatError, IntegrityError, WrongPasswordError } from './errors.js';
import { formatRFC3339Nano, goJsonString, localTime, parseRFC3339, type GoTime } from './gojson.js';

/** scrypt cost parameters of a key file. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/** restic's starting point for calibration; also our fixed default (about 16 MiB, ~50 ms per try). */
export const DEFAULT_KDF: KdfParams = { N: 32768, r: 8, p: 1 };

/** Metadata of one key file, as `key list` shows it. */
export interface KeyInfo {
  id: string;
  created: GoTime;
  username: string;
  hostname: string;
  kdf: KdfParams;
}

/** An opened repository key: the master key and which key file gave it. */
export interface OpenedKey {
  masterKey: MasterKey;
  keyId: string;
}

interface KeyFileJson {
  created?: string;
  username?: string;
  hostname?: string;
  kdf?: string;
  N?: number;
  r?: number;
  p?: number;
  salt?: string;
  data?: string;
}

/** Derives the 64-byte user key. `maxmem` is raised: Node's 32 MiB default rejects restic's usual N=32768, r=8. */
export async function deriveUserKey(
  password: string | Buffer,
  salt: Uint8Array,
  kdf: KdfParams,
): Promise<MasterKey> {
  const opts: ScryptOptions = {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: Math.max(256 * 1024 * 1024, 256 * kdf.N * kdf.r),
  };
  const out = await new Promise<Buffer>((resolve, reject) => {
    scryptCb(password, salt, 64, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
  return keyFromBytes(out);
}

/**
 * No key file can be used at all: there is none, or every one is broken (the message names each problem). Unlike
 * {@link WrongPasswordError}, another password would not help.
 */
export class UnusableKeysError extends Error {
  override readonly name = 'UnusableKeysError';
}

/** Memory scrypt may use for one key (128·N·r bytes): far above restic's calibrated 60 MiB, far below absurd. */
const KDF_MAX_MEMORY = 1024 * 1024 * 1024;

/** Why scrypt parameters cannot be used (Go's scrypt rules, plus a memory bound), or undefined when they can. */
export function kdfProblem(k: KdfParams): string | undefined {
  if (k.N <= 1 || !Number.isSafeInteger(k.N) || !Number.isInteger(Math.log2(k.N)))
    return `N=${k.N} is not a power of 2 above 1`;
  if (k.r * k.p >= 2 ** 30) return `r=${k.r} times p=${k.p} is too large`;
  if (128 * k.N * k.r > KDF_MAX_MEMORY)
    return `N=${k.N}, r=${k.r} would need ${Math.round((128 * k.N * k.r) / 2 ** 20)} MiB of memory (at most ${KDF_MAX_MEMORY / 2 ** 20} MiB)`;
  return undefined;
}

function parseKeyFile(id: string, raw: Buffer): Required<KeyFileJson> {
  const name = `key file keys/${id.slice(0, 8)}`;
  if (raw.length === 0) throw new FormatError(`${name} is empty`);
  let j: KeyFileJson;
  try {
    j = JSON.parse(raw.toString('utf8')) as KeyFileJson;
  } catch (e) {
    throw new FormatError(`${name} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof j !== 'object' || j === null) throw new FormatError(`${name} is not a JSON object`);
  if (j.kdf !== 'scrypt') throw new FormatError(`${name}: unsupported KDF ${String(j.kdf)}`);
  for (const f of ['N', 'r', 'p'] as const) {
    if (typeof j[f] !== 'number' || !Number.isSafeInteger(j[f]) || j[f] <= 0)
      throw new FormatError(`${name}: scrypt parameter ${f} is missing or not a positive whole number`);
  }
  const bad = kdfProblem({ N: j.N!, r: j.r!, p: j.p! });
  if (bad) throw new FormatError(`${name}: unusable scrypt parameters: ${bad}`);
  if (typeof j.salt !== 'string' || typeof j.data !== 'string')
    throw new FormatError(`${name}: salt or data missing`);
  return { created: '', username: '', hostname: '', ...j } as Required<KeyFileJson>;
}

/** Reads one key file's metadata (no password needed). */
export async function loadKeyInfo(backend: Backend, id: string): Promise<KeyInfo> {
  const j = parseKeyFile(id, await backend.load({ type: 'key', name: id }));
  return {
    id,
    created: j.created ? parseRFC3339(j.created) : { ns: 0n, offset: 0 },
    username: j.username,
    hostname: j.hostname,
    kdf: { N: j.N, r: j.r, p: j.p },
  };
}

/** Every key file's metadata. */
export async function listKeys(backend: Backend): Promise<KeyInfo[]> {
  const out: KeyInfo[] = [];
  for await (const f of backend.list('key')) out.push(await loadKeyInfo(backend, f.name));
  return out.sort((a, b) => (a.created.ns < b.created.ns ? -1 : a.created.ns > b.created.ns ? 1 : 0));
}

/** Tries to open one key file with a password; returns undefined when the password does not fit it. */
export async function tryKey(
  backend: Backend,
  id: string,
  password: string | Buffer,
): Promise<MasterKey | undefined> {
  const j = parseKeyFile(id, await backend.load({ type: 'key', name: id }));
  const user = await deriveUserKey(password, Buffer.from(j.salt, 'base64'), { N: j.N, r: j.r, p: j.p });
  let plain: Buffer;
  try {
    plain = decrypt(user, Buffer.from(j.data, 'base64'));
  } catch (e) {
    if (e instanceof IntegrityError) return undefined; // MAC mismatch = wrong password for this key
    throw e;
  }
  return masterKeyFromJSON(plain);
}

/**
 * Opens the repository's master key by trying the password on every key file (`keyHint` first, as restic's --key-hint).
 * Malformed key files are skipped (another may still fit). When none fits: {@link UnusableKeysError} naming the
 * problems when no key file could even be tried, else {@link WrongPasswordError} (with the broken ones named).
 */
export async function openKey(
  backend: Backend,
  password: string | Buffer,
  keyHint?: string,
): Promise<OpenedKey> {
  const ids: string[] = [];
  for await (const f of backend.list('key')) ids.push(f.name);
  if (ids.length === 0)
    throw new UnusableKeysError(`no key files found in ${backend.location}/keys: not a repository?`);
  if (keyHint) ids.sort((a, b) => (a.startsWith(keyHint) ? -1 : b.startsWith(keyHint) ? 1 : 0));
  const problems: string[] = [];
  for (const id of ids) {
    let mk: MasterKey | undefined;
    try {
      mk = await tryKey(backend, id, password);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      problems.push(e.message);
      continue;
    }
    if (mk) return { masterKey: mk, keyId: id };
  }
  if (problems.length === ids.length) throw new UnusableKeysError(`no usable key: ${problems.join('; ')}`);
  throw new WrongPasswordError(
    problems.length
      ? `wrong password or no key found (unusable: ${problems.join('; ')})`
      : 'wrong password or no key found',
  );
}

/** Options of {@link addKey}. */
export interface AddKeyOptions {
  kdf?: KdfParams;
  username?: string;
  hostname?: string;
  /** Creation time in ns since the epoch (default now). */
  createdNs?: bigint;
}

/** Writes a new key file wrapping `masterKey` with `password`; returns the key file's id. */
export async function addKey(
  backend: Backend,
  masterKey: MasterKey,
  password: string | Buffer,
  opts: AddKeyOptions = {},
): Promise<string> {
  const kdf = opts.kdf ?? DEFAULT_KDF;
  const salt = randomBytes(64);
  const user = await deriveUserKey(password, salt, kdf);
  const data = encrypt(user, Buffer.from(masterKeyToJSON(masterKey)));
  const created = localTime(
    opts.createdNs ?? BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n),
  );
  let username = opts.username;
  if (username === undefined) {
    try {
      username = userInfo().username;
    } catch {
      username = '';
    }
  }
  // Go field order of restic's Key struct.
  const json =
    `{"created":"${formatRFC3339Nano(created)}","username":${goJsonString(username)},"hostname":${goJsonString(opts.hostname ?? osHostname())},` +
    `"kdf":"scrypt","N":${kdf.N},"r":${kdf.r},"p":${kdf.p},"salt":"${salt.toString('base64')}","data":"${data.toString('base64')}"}`;
  const bytes = Buffer.from(json);
  const id = sha256Hex(bytes);
  await backend.save({ type: 'key', name: id }, bytes);
  return id;
}

/** Removes a key file. Refuses to remove the one in use (`currentKeyId`), so the repository cannot be locked out by mistake. */
export async function removeKey(backend: Backend, id: string, currentKeyId?: string): Promise<void> {
  if (id === currentKeyId) throw new Error('refusing to remove the key currently in use');
  await backend.remove({ type: 'key', name: id });
}

/** Changes the password of the key in use: writes a new key file, then removes the old one. Returns the new key id. */
export async function changePassword(
  backend: Backend,
  opened: OpenedKey,
  newPassword: string | Buffer,
  opts: AddKeyOptions = {},
): Promise<string> {
  const id = await addKey(backend, opened.masterKey, newPassword, opts);
  await backend.remove({ type: 'key', name: opened.keyId });
  return id;
}

/**
 * Picks scrypt parameters like restic: start at N=16384, r=8, p=1, double N while memory stays <= 60 MiB and a try
 * stays under the time target, then raise p to fill the target. Costs a few scrypt runs, so only `init` calls it.
 */
export async function calibrateKdf(targetMs = 500, maxMemBytes = 60 * 1024 * 1024): Promise<KdfParams> {
  const p: KdfParams = { N: 16384, r: 8, p: 1 };
  const salt = randomBytes(64);
  const t0 = performance.now();
  await deriveUserKey('calibrate', salt, p);
  let ms = Math.max(1, performance.now() - t0);
  while (128 * p.N * 2 * p.r <= maxMemBytes && ms * 2 <= targetMs) {
    p.N *= 2;
    ms *= 2;
  }
  p.p = Math.max(1, Math.floor(targetMs / ms));
  return p;
}
