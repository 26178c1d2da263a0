/**
 * The repository config: `{"version":1|2,"id":hex,"chunker_polynomial":hex}`, encrypted, never compressed.
 * The polynomial must be irreducible over GF(2) and of degree 53, or the chunker would not be restic's.
 */
import { randomBytes } from 'node:crypto';
import type { Backend } from './backend/backend.js';
import { decrypt, encrypt, isId, randomId, type MasterKey } from './crypto.js';
import { FormatError } from './errors.js';

/** Parsed repository config. */
export interface RepoConfig {
  /** 1 = no compression, 2 = zstd compression allowed. */
  version: 1 | 2;
  /** Random repository id (64 hex). */
  id: string;
  /** Rabin polynomial of the content-defined chunker, degree 53. */
  chunkerPolynomial: bigint;
}

const CONFIG = { type: 'config', name: '' } as const;

function deg(p: bigint): number {
  return p === 0n ? -1 : p.toString(2).length - 1;
}

function polyMod(a: bigint, m: bigint): bigint {
  const dm = deg(m);
  for (let d = deg(a); d >= dm; d = deg(a)) a ^= m << BigInt(d - dm);
  return a;
}

function polyMulMod(a: bigint, b: bigint, m: bigint): bigint {
  let r = 0n;
  a = polyMod(a, m);
  const dm = deg(m);
  while (b !== 0n) {
    if (b & 1n) r ^= a;
    b >>= 1n;
    a <<= 1n;
    if (deg(a) >= dm) a ^= m;
  }
  return r;
}

function polyGcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, polyMod(a, b)];
  return a;
}

/** Degree of a GF(2) polynomial given as a bit vector (-1 for zero). */
export function polyDegree(p: bigint): number {
  return deg(p);
}

/**
 * Ben-Or irreducibility test over GF(2): f of degree n is irreducible iff gcd(f, x^(2^i) - x) = 1 for i = 1..n/2.
 */
export function isIrreducible(f: bigint): boolean {
  const n = deg(f);
  if (n < 1) return false;
  let h = 2n; // x
  for (let i = 1; i <= n / 2; i++) {
    h = polyMulMod(h, h, f); // x^(2^i) mod f
    if (polyGcd(f, h ^ 2n) !== 1n) return false;
  }
  return true;
}

/** A random irreducible polynomial of degree 53, for a new repository. */
export function randomPolynomial(): bigint {
  for (;;) {
    let p = randomBytes(8).readBigUInt64LE() & ((1n << 54n) - 1n);
    p |= (1n << 53n) | 1n; // degree 53; a constant term is needed for irreducibility
    if (isIrreducible(p)) return p;
  }
}

/** A config for `init`: random id and polynomial. */
export function newConfig(version: 1 | 2 = 2): RepoConfig {
  return { version, id: randomId(), chunkerPolynomial: randomPolynomial() };
}

/** The config's JSON, in Go field order. */
export function encodeConfig(c: RepoConfig): string {
  return `{"version":${c.version},"id":"${c.id}","chunker_polynomial":"${c.chunkerPolynomial.toString(16)}"}`;
}

/** Parses and validates decrypted config JSON; throws {@link FormatError}. */
export function decodeConfig(plain: Buffer | string): RepoConfig {
  let j: { version?: unknown; id?: unknown; chunker_polynomial?: unknown };
  try {
    j = JSON.parse(plain.toString()) as typeof j;
  } catch {
    throw new FormatError('config is not JSON');
  }
  if (j.version !== 1 && j.version !== 2)
    throw new FormatError(`unsupported repository version ${String(j.version)}`);
  if (typeof j.id !== 'string' || !isId(j.id)) throw new FormatError('config: invalid id');
  if (typeof j.chunker_polynomial !== 'string' || !/^[0-9a-fA-F]{1,16}$/.test(j.chunker_polynomial))
    throw new FormatError('config: invalid chunker polynomial');
  const pol = BigInt(`0x${j.chunker_polynomial}`);
  if (deg(pol) !== 53) throw new FormatError(`config: chunker polynomial has degree ${deg(pol)}, want 53`);
  if (!isIrreducible(pol)) throw new FormatError('config: chunker polynomial is not irreducible');
  return { version: j.version, id: j.id, chunkerPolynomial: pol };
}

/** Loads and validates the config. */
export async function loadConfig(backend: Backend, key: MasterKey): Promise<RepoConfig> {
  return decodeConfig(decrypt(key, await backend.load(CONFIG)));
}

/** Writes the config (once, at init). */
export async function saveConfig(backend: Backend, key: MasterKey, cfg: RepoConfig): Promise<void> {
  await backend.save(CONFIG, encrypt(key, Buffer.from(encodeConfig(cfg))));
}
