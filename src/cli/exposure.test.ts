import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

describe('steward exposure', () => {
  const cli = useCliServer();
  let dir: string;
  let agentToken = '';
  const call = async (method: string, path: string, body: unknown, token = cli.env.STEWARD_TOKEN) => {
    const r = await fetch(`${cli.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    return (await r.json()) as Record<string, unknown>;
  };
  const report = (version: string) =>
    call(
      'POST',
      '/api/v1/agents/report',
      {
        hostname: 'web-1',
        system: {
          manufacturer: 'Steward',
          model: 'Test',
          serial: 'SER-CLI-1',
          uuid: 'cli-exp-1',
          kind: 'server',
        },
        cpu: { manufacturer: 'x', brand: 'y', cores: 2 },
        memoryBytes: 1024 ** 3,
        disks: [],
        network: [],
        os: {
          platform: 'linux',
          distro: 'Debian GNU/Linux',
          release: '12',
          kernel: '6.1',
          arch: 'x64',
          id: 'debian',
          versionId: '12',
        },
        software: [{ name: 'libssl3', version, source: 'openssl', sourceVersion: version }],
        peripherals: [],
      },
      agentToken,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'exposure-cli-'));
    const { token } = (await call('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
      note: 'cli test',
    })) as {
      token: string;
    };
    agentToken = (
      (await call('POST', '/api/v1/agents/enrol', {
        enrolmentToken: token,
        hostname: 'web-1',
        systemUuid: 'cli-exp-1',
      })) as { token: string }
    ).token;
    await report('3.0.11-1~deb12u1');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a folder of OSV records, lists the exposure, and shows it closed after the fix', async () => {
    writeFileSync(
      join(dir, 'DSA-5500-1.json'),
      JSON.stringify({
        id: 'DSA-5500-1',
        modified: '2026-11-01T00:00:00Z',
        summary: 'openssl: remote code execution',
        aliases: ['CVE-2026-0001'],
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'openssl' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
          },
        ],
      }),
    );
    const imported = await runCli(['exposure', 'import', dir], cli.env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 advisories read, 1 stored');
    expect(imported.stdout).toContain('1 exposures opened');
    const listed = await runCli(['exposure', 'list'], cli.env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^critical +DSA-5500-1 {2}web-1: openssl 3\.0\.11-1~deb12u1 \(fixed in 3\.0\.11-1~deb12u2\), due /m,
    );
    const json = await runCli(['exposure', 'list', '--json'], cli.env);
    const items = JSON.parse(json.stdout) as { advisory: { id: string }; severity: string }[];
    expect(items.map((i) => [i.advisory.id, i.severity])).toEqual([['DSA-5500-1', 'critical']]);
    expect((await runCli(['exposure', 'list', '--severity', 'low'], cli.env)).stdout).toBe('No exposures.\n');
    // The agent reports the fixed version: the exposure closes by itself.
    await report('3.0.11-1~deb12u2');
    expect((await runCli(['exposure', 'list'], cli.env)).stdout).toBe('No exposures.\n');
    const closed = await runCli(['exposure', 'list', '--closed'], cli.env);
    expect(closed.stdout).toMatch(/DSA-5500-1 {2}web-1: .*, closed \d{4}-\d\d-\d\d/);
  }, 900_000);

  it('refuses what it cannot import, with a clear message', async () => {
    const missing = await runCli(['exposure', 'import', join(dir, 'nope')], cli.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    const empty = mkdtempSync(join(tmpdir(), 'exposure-empty-'));
    const none = await runCli(['exposure', 'import', empty], cli.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no .json files');
    rmSync(empty, { recursive: true, force: true });
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const bad = await runCli(['exposure', 'import', dir], cli.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('broken.json');
    const agent = await runCli(['exposure', 'list'], { ...cli.env, STEWARD_TOKEN: 'stw_not_a_token' });
    expect(agent.code).not.toBe(0);
  }, 900_000);
});
