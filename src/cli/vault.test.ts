import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

describe('steward vault', () => {
  const cli = useCliServer();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets, generates, reveals and imports secrets, which never reach the server log', async () => {
    const item = await fetch(`${cli.srv.url}/api/v1/cis`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cli.env.STEWARD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ classKey: 'credential', name: 'Switch admin', custom: { system: 'sw-1' } }),
    });
    const { id } = (await item.json()) as { id: string };
    const secret = 'cli planted secret 4711';
    const set = await runCli(['vault', 'set', id, '--username', 'admin'], cli.env, `${secret}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Switch admin: version 1 saved');
    const shown = await runCli(['vault', 'reveal', id, '--reason', 'switch upgrade'], cli.env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(`${secret}\n`);
    expect(
      (await runCli(['vault', 'reveal', id, '--reason', 'x', '--field', 'username'], cli.env)).stdout,
    ).toBe('admin\n');
    const gen = await runCli(['vault', 'generate', '--length', '32', '--no-symbols'], cli.env);
    expect(gen.stdout.trim()).toMatch(/^[A-Za-z0-9]{32}$/);
    const rotated = await runCli(
      ['vault', 'set', id, '--generate', '--length', '30', '--reason', 'rotation'],
      cli.env,
    );
    expect(rotated.stdout).toContain('version 2 saved');
    const file = join(dir, 'export.csv');
    writeFileSync(
      file,
      'Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\nNAS,https://nas.lan,root,nas-secret-99,,,,,\n',
    );
    const dry = await runCli(['vault', 'import', file], cli.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('line 2: would create “NAS” (nas.lan, root)');
    expect(dry.stderr).toContain('nothing was written');
    const real = await runCli(['vault', 'import', file, '--apply'], cli.env);
    expect(real.stdout).toContain('1password export, 1 to create, 0 skipped');
    expect(cli.srv.log()).not.toContain(secret);
    expect(cli.srv.log()).not.toContain('nas-secret-99');
  }, 900_000);
});
