import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cvss3BaseScore, severityOfScore } from './cvss.js';
import { readAdvisories } from './import.service.js';
import { affects } from './match.js';
import { parseOsv } from './osv.js';
import { orderingOf } from './versions/index.js';

const deb = orderingOf('Debian:12')!;

describe('CVSS v3.1 base scores', () => {
  it('computes the specification’s examples and refuses broken vectors', () => {
    const cases: [string, number][] = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
      ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
      ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
      ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
      ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O', 9.8],
    ];
    for (const [v, s] of cases) expect([v, cvss3BaseScore(v)]).toEqual([v, s]);
    for (const bad of ['CVSS:2.0/AV:N', 'CVSS:3.1/AV:N/AC:L', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'])
      expect(cvss3BaseScore(bad)).toBeNull();
    expect(severityOfScore(9.8)).toBe('critical');
    expect(severityOfScore(7)).toBe('high');
    expect(severityOfScore(6.9)).toBe('medium');
  });
});

describe('OSV records and affected ranges', () => {
  const record = (affected: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id: 'DSA-1-1', modified: '2026-01-02T00:00:00Z', affected, ...extra });

  it('sorts events by the ecosystem’s ordering and applies introduced, fixed and last_affected', () => {
    const a = parseOsv(
      record([
        {
          package: { ecosystem: 'Debian:12', name: 'openssl' },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [
                { fixed: '3.0.11-1~deb12u2' },
                { introduced: '0' },
                { introduced: '3.1.0-1' },
                { last_affected: '3.1.2-1' },
              ],
            },
          ],
          versions: ['2.9-1'],
        },
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ]),
    );
    expect(a.packages).toHaveLength(1);
    const p = a.packages[0]!;
    expect(p.ranges[0]![0]).toEqual({ introduced: '0' });
    expect(affects(p, '3.0.11-1~deb12u1', deb)).toEqual({ fixed: '3.0.11-1~deb12u2' });
    expect(affects(p, '3.0.11-1~deb12u2', deb)).toBeUndefined();
    expect(affects(p, '3.0.11-1', deb)).toBeUndefined();
    expect(affects(p, '3.1.1-1', deb)).toEqual({ fixed: null });
    expect(affects(p, '3.1.2-1', deb)).toEqual({ fixed: null });
    expect(affects(p, '3.1.2-2', deb)).toBeUndefined();
    expect(affects(p, '1:0.1', deb)).toBeUndefined();
    expect(affects(p, 'not a version', deb)).toBeUndefined();
  });

  it('takes the severity from the worst CVSS v3 vector, else the distribution’s word', () => {
    const v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(parseOsv(record([], { severity: [{ type: 'CVSS_V3', score: v }] }))).toMatchObject({
      severity: 'critical',
      cvssScore: 9.8,
      cvssVector: v,
    });
    expect(parseOsv(record([], { severity: [{ type: 'Ubuntu', score: 'medium' }] })).severity).toBe('medium');
    expect(parseOsv(record([])).severity).toBe('unknown');
  });

  it('refuses records that are not OSV, naming the field', () => {
    expect(() => parseOsv('{')).toThrow('not valid JSON');
    expect(() => parseOsv(JSON.stringify({ id: 'X-1' }))).toThrow(/modified/);
    expect(() => parseOsv(JSON.stringify({ id: 'X 1', modified: '2026-01-01T00:00:00Z' }))).toThrow(/id/);
    expect(() =>
      parseOsv(
        record([
          {
            package: { ecosystem: 'Debian:12', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'bad version!' }] }],
          },
        ]),
      ),
    ).toThrow(/not a Debian:12 version/);
    expect(() => parseOsv(record([], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }] }))).toThrow(
      /CVSS/,
    );
  });

  it('reads zip archives made by zip and by Python (zip64), and names bad files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osv-zip-'));
    const src = join(dir, 'src');
    execFileSync('mkdir', ['-p', src]);
    for (let i = 0; i < 30; i++) {
      writeFileSync(
        join(src, `DSA-${i}.json`),
        record([], { id: `DSA-${i}-1`, summary: 'x'.repeat(i * 50) }),
      );
    }
    execFileSync('zip', ['-q', '-r', join(dir, 'all.zip'), '.'], { cwd: src });
    execFileSync('python3', [
      '-c',
      `import zipfile,glob,os
z=zipfile.ZipFile('${dir}/z64.zip','w',zipfile.ZIP_DEFLATED,allowZip64=True)
for f in sorted(glob.glob('${src}/*.json')):
  with z.open(os.path.basename(f),'w',force_zip64=True) as w: w.write(open(f,'rb').read())
z.close()`,
    ]);
    return (async () => {
      for (const f of ['all.zip', 'z64.zip']) {
        const { advisories, bad } = await readAdvisories(join(dir, f));
        expect([f, advisories.length, bad]).toEqual([f, 30, []]);
      }
      writeFileSync(join(src, 'broken.json'), '{"id": "X-1"');
      writeFileSync(join(src, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
      const { bad } = await readAdvisories(src);
      expect(bad).toEqual([
        { file: 'broken.json', problem: 'not valid JSON' },
        { file: 'latin1.json', problem: 'not valid UTF-8' },
      ]);
      writeFileSync(join(dir, 'not.zip'), 'hello');
      await expect(readAdvisories(join(dir, 'not.zip'))).rejects.toThrow(/not a zip archive/);
    })();
  });
});
