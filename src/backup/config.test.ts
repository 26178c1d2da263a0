import { afterAll, describe, expect, it } from 'vitest';
import { newMasterKey } from './crypto.js';
import {
  decodeConfig,
  encodeConfig,
  isIrreducible,
  loadConfig,
  newConfig,
  polyDegree,
  randomPolynomial,
  saveConfig,
} from './config.js';
import { FormatError } from './errors.js';
import { LocalBackend } from './backend/local.js';
import { tempDir, removeTempDirs } from './testkit.js';
import { join } from 'node:path';

afterAll(removeTempDirs);

const ID = 'ab'.repeat(32);
// restic's own test repository small-repo uses this polynomial.
const RESTIC_POL = 10301811769127167n;

function mul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0n; b >> i; i++) if ((b >> i) & 1n) r ^= a << i;
  return r;
}

describe('config', () => {
  it('tests irreducibility', () => {
    expect(isIrreducible(RESTIC_POL)).toBe(true);
    expect(isIrreducible(0b111n)).toBe(true); // x^2+x+1
    expect(isIrreducible(0b101n)).toBe(false); // (x+1)^2
    expect(isIrreducible(0b1011n)).toBe(true); // x^3+x+1
    // A product of two irreducible polynomials (degree 50 * degree 3 = 53) is reducible.
    let p50 = 0n;
    for (p50 = (1n << 50n) | 1n; !isIrreducible(p50); p50 += 2n);
    const prod = mul(p50, 0b1011n);
    expect(polyDegree(prod)).toBe(53);
    expect(isIrreducible(prod)).toBe(false);
  });

  it('makes random irreducible polynomials of degree 53', () => {
    for (let i = 0; i < 5; i++) {
      const p = randomPolynomial();
      expect(polyDegree(p)).toBe(53);
      expect(isIrreducible(p)).toBe(true);
    }
  });

  it('encodes and validates', () => {
    const c = { version: 2 as const, id: ID, chunkerPolynomial: RESTIC_POL };
    expect(encodeConfig(c)).toBe(`{"version":2,"id":"${ID}","chunker_polynomial":"249971770ab0ff"}`);
    expect(decodeConfig(encodeConfig(c))).toEqual(c);
    expect(() => decodeConfig(`{"version":3,"id":"${ID}","chunker_polynomial":"249971770ab0ff"}`)).toThrow(
      FormatError,
    );
    expect(() =>
      decodeConfig(`{"version":2,"id":"${ID}","chunker_polynomial":"${(RESTIC_POL >> 1n).toString(16)}"}`),
    ).toThrow(/degree/);
    expect(() =>
      decodeConfig(`{"version":2,"id":"${ID}","chunker_polynomial":"${(RESTIC_POL ^ 2n).toString(16)}"}`),
    ).toThrow(/irreducible/);
    expect(() => decodeConfig('nope')).toThrow(FormatError);
  });

  it('saves encrypted and loads', async () => {
    const b = new LocalBackend(join(tempDir(), 'r'));
    await b.create();
    const k = newMasterKey();
    const c = newConfig(2);
    await saveConfig(b, k, c);
    expect((await b.load({ type: 'config', name: '' })).includes(Buffer.from('version'))).toBe(false);
    expect(await loadConfig(b, k)).toEqual(c);
  });
});
