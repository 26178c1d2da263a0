import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram } from '../../test/support/requires.js';
import { runCli } from '../../test/support/server.js';
import { systemdUnit, systemdWord, UNIT_NAME } from './service.js';

const haveAnalyze = hasProgram('systemd-analyze', ['--version']);

/** `systemd-analyze verify` of a unit file: its complaints about the file (it exits 0 on unknown keys). */
function verify(path: string): string {
  const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
  const complaints = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.includes(path) || /unknown|invalid|failed to parse/i.test(l));
  return r.status === 0 ? complaints.join('\n') : `exit ${r.status}: ${r.stderr}`;
}

describe('steward agent install-service', () => {
  let dir = '';
  let config = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-service-'));
    config = join(dir, 'etc steward', 'agent.json');
    mkdirSync(join(dir, 'etc steward'));
    writeFileSync(
      config,
      JSON.stringify({ server: 'https://steward.example.com', agentId: 'a', token: 't' }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a system unit running `steward agent run` with the config, restarted on failure, at low priority', async () => {
    const units = join(dir, 'system');
    const r = await runCli(
      ['agent', 'install-service', '--config', config, '--dir', units, '--no-enable'],
      {},
    );
    expect(r.code, r.stderr).toBe(0);
    const path = join(units, UNIT_NAME);
    expect(r.stdout).toContain(`wrote ${path}`);
    const unit = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const lines = unit.split('\n');
    const exec = lines.find((l) => l.startsWith('ExecStart='))!;
    expect(exec).toBe(
      `ExecStart=${process.execPath} ${join(import.meta.dirname, '..', '..', 'bin', 'steward.js')} agent run --config "${config}"`,
    );
    for (const l of [
      'Restart=on-failure',
      'Nice=19',
      'IOSchedulingClass=idle',
      'CPUSchedulingPolicy=batch',
      'After=network-online.target',
      'Wants=network-online.target',
      'NoNewPrivileges=yes',
      'ProtectSystem=full',
      `ReadWritePaths="${join(dir, 'etc steward')}"`,
      'WantedBy=multi-user.target',
    ])
      expect(lines).toContain(l);
    // Nothing that would hide the folders a backup reads, or a restore writes.
    expect(unit).not.toMatch(
      /ProtectHome|ProtectSystem=strict|PrivateTmp|InaccessiblePaths|TemporaryFileSystem/,
    );
    if (haveAnalyze) expect(verify(path)).toBe('');
  });

  it('writes a user unit with --user, prints without writing with --print, and needs an enrolled config', async () => {
    const units = join(dir, 'user');
    const r = await runCli(
      ['agent', 'install-service', '--user', '--config', config, '--dir', units, '--no-enable'],
      {},
    );
    expect(r.code, r.stderr).toBe(0);
    const unit = readFileSync(join(units, UNIT_NAME), 'utf8');
    expect(unit).toContain('WantedBy=default.target');
    expect(unit).toContain('Nice=19');
    expect(unit).not.toContain('ProtectSystem');
    expect(unit).not.toContain('Wants=network-online.target');
    if (haveAnalyze) expect(verify(join(units, UNIT_NAME))).toBe('');

    const printed = await runCli(
      ['agent', 'install-service', '--print', '--config', config, '--dir', join(dir, 'printed')],
      {},
    );
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('[Service]');
    expect(spawnSync('ls', [join(dir, 'printed')]).status).not.toBe(0);

    const missing = await runCli(
      ['agent', 'install-service', '--config', join(dir, 'nope.json'), '--dir', units, '--no-enable'],
      {},
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not enrolled/);
  });

  it('escapes specifiers, variables, quotes and spaces as systemd reads them', () => {
    expect(systemdWord('/opt/steward/bin/steward.js')).toBe('/opt/steward/bin/steward.js');
    expect(systemdWord('/srv/100%/a b')).toBe('"/srv/100%%/a b"');
    expect(systemdWord('/srv/$HOME')).toBe('/srv/$$HOME');
    expect(systemdWord('/srv/$HOME', false)).toBe('/srv/$HOME');
    expect(systemdWord('a"b\\c')).toBe('"a\\"b\\\\c"');
    const unit = systemdUnit({
      node: '/usr/bin/node',
      entry: '/x/steward.js',
      configPath: '/etc/s%/a.json',
      user: false,
    });
    expect(unit).toContain('--config /etc/s%%/a.json');
    expect(unit).toContain('ReadWritePaths=/etc/s%%');
  });
});
