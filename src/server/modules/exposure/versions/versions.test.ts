import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDeb, compareRpm, orderingOf, parseDeb, rpmvercmp } from './index.js';

const SEED = 2026_12_07;
const sign = (n: number) => Math.sign(n);

// dpkg versions: an optional epoch, an upstream part starting with a digit, an optional revision.
const part = (chars: string, min: number) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: min, maxLength: 8 });
const debVersion = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    fc.integer({ min: 0, max: 12 }),
    part('0123456789.+~abzAZ', 0),
    fc.option(part('0123456789.+~abz', 1), { nil: undefined }),
  )
  .map(
    ([e, lead, up, rev]) =>
      `${e === undefined ? '' : `${e}:`}${lead}${up}${rev === undefined ? '' : `-${rev}`}`,
  );

describe('dpkg version ordering', () => {
  it('follows deb-version(7) on hand-picked cases', () => {
    const cases: [string, string, number][] = [
      ['1.0', '1.0', 0],
      ['1.0~rc1', '1.0', -1],
      ['1.0~~', '1.0~', -1],
      ['1.0', '1.0+dfsg', -1],
      ['1:1.0', '2.0', 1],
      ['1.0-1', '1.0-1+deb12u1', -1],
      ['1.00', '1.0', 0],
      ['1.0a', '1.0+', -1],
      ['2.36.1-8+deb11u1', '2.36.1-8', 1],
      ['3.0.11-1~deb12u2', '3.0.11-1', -1],
      ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
      ['1.2.3', '1.2.3-0', 0],
    ];
    for (const [a, b, want] of cases) expect([a, b, sign(compareDeb(a, b))]).toEqual([a, b, want]);
  });

  it('is a total order: reflexive, antisymmetric and transitive', () => {
    fc.assert(
      fc.property(debVersion, debVersion, debVersion, (a, b, c) => {
        expect(compareDeb(a, a)).toBe(0);
        expect(sign(compareDeb(a, b))).toBe(-sign(compareDeb(b, a)));
        if (compareDeb(a, b) <= 0 && compareDeb(b, c) <= 0) expect(compareDeb(a, c)).toBeLessThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('puts a tilde before the end, an epoch before everything else, and ignores leading zeros', () => {
    fc.assert(
      fc.property(debVersion, part('0123456789abz', 0), (v, tail) => {
        const p = parseDeb(v)!;
        const up = p.upstream;
        const rev = p.revision ? `-${p.revision}` : '';
        expect(compareDeb(`${p.epoch}:${up}~${tail}${rev}`, v)).toBeLessThan(0);
        expect(compareDeb(`${p.epoch + 1}:0${rev}`, v)).toBeGreaterThan(0);
        expect(compareDeb(`${p.epoch}:0${up}${rev}`, v)).toBe(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('agrees with dpkg --compare-versions on this machine', () => {
    const pairs = fc.sample(fc.tuple(debVersion, debVersion), { seed: SEED, numRuns: 200 });
    // Near pairs too: the same version with one character changed finds the subtle cases.
    pairs.push(...pairs.slice(0, 60).map(([a]): [string, string] => [a, a.replace(/\d(?!.*\d)/, '~')]));
    // Equal spellings of one version: leading zeros and a zero epoch.
    pairs.push(...pairs.slice(0, 40).map(([a]): [string, string] => [a, `0:${a.replace(/^\d+:/, '')}`]));
    const valid = pairs.filter(([a, b]) => parseDeb(a) && parseDeb(b));
    const script = valid
      .map(
        ([a, b]) =>
          `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; ` +
          `elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`,
      )
      .join('\n');
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n').map(Number);
    expect(out.length).toBe(valid.length);
    const ours = valid.map(([a, b]) => sign(compareDeb(a, b)));
    const disagreements = valid.filter((_, i) => ours[i] !== out[i]);
    expect(disagreements).toEqual([]);
    expect(new Set(out)).toEqual(new Set([-1, 0, 1]));
  });
});

describe('rpm version ordering', () => {
  it("follows rpm's own rpmvercmp test cases", () => {
    const cases: [string, string, number][] = [
      ['1.0', '1.0', 0],
      ['1.0', '2.0', -1],
      ['2.0', '2.0.1', -1],
      ['2.0.1a', '2.0.1', 1],
      ['5.5p1', '5.5p2', -1],
      ['5.5p10', '5.5p1', 1],
      ['10xyz', '10.1xyz', -1],
      ['xyz10', 'xyz10.1', -1],
      ['xyz.4', '8', -1],
      ['6.0.rc1', '6.0', 1],
      ['10b2', '10a1', 1],
      ['1.0aa', '1.0a', 1],
      ['10.0001', '10.1', 0],
      ['10.0001', '10.0039', -1],
      ['4.999.9', '5.0', -1],
      ['2.0', '2_0', 0],
      ['+_', '_+', 0],
      ['1b.fc17', '1.fc17', -1],
      ['1g.fc17', '1.fc17', 1],
      ['1.0~rc1', '1.0', -1],
      ['1.0~rc1~git123', '1.0~rc1', -1],
      ['1.0^', '1.0', 1],
      ['1.0^git1', '1.01', -1],
      ['1.0^20160101', '1.0.1', -1],
      ['1.0^20160101^git1', '1.0^20160101', 1],
      ['1.0~rc1^git1', '1.0~rc1', 1],
      ['1.0^git1~pre', '1.0^git1', -1],
    ];
    for (const [a, b, want] of cases) expect([a, b, sign(rpmvercmp(a, b))]).toEqual([a, b, want]);
  });

  it('compares epoch first, then version, then release', () => {
    expect(compareRpm('1:1.0-1.el9', '2.0-1.el9')).toBeGreaterThan(0);
    expect(compareRpm('3.0.7-24.el9', '3.0.7-25.el9')).toBeLessThan(0);
    expect(compareRpm('3.0.7-27.el9_4', '3.0.7-27.el9')).toBeGreaterThan(0);
    expect(compareRpm('3.0.7', '3.0.7-27.el9')).toBe(0);
  });

  it('is a total order on generated versions', () => {
    const seg = part('0123456789.abz~^_', 1);
    const evr = fc.tuple(fc.integer({ min: 0, max: 2 }), seg, seg).map(([e, v, r]) => `${e}:${v}-${r}`);
    fc.assert(
      fc.property(evr, evr, evr, (a, b, c) => {
        expect(compareRpm(a, a)).toBe(0);
        expect(sign(compareRpm(a, b))).toBe(-sign(compareRpm(b, a)));
        if (compareRpm(a, b) <= 0 && compareRpm(b, c) <= 0) expect(compareRpm(a, c)).toBeLessThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('picks the ordering by ecosystem', () => {
    expect(orderingOf('Debian:12')?.compare('1.0~1', '1.0')).toBeLessThan(0);
    expect(orderingOf('Rocky Linux:9')?.compare('1.0^1', '1.0')).toBeGreaterThan(0);
    expect(orderingOf('npm')).toBeUndefined();
  });
});
