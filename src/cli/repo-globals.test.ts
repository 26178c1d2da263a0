import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../backup/testkit.js';
import { cli } from '../../test/support/repo-cli.js';

describe('steward repo global flags', () => {
  const saved = { ...process.env };
  let dir = '';

  beforeAll(() => {
    dir = tempDir('steward-globals-');
    for (const k of [
      'RESTIC_REPOSITORY',
      'RESTIC_PASSWORD',
      'RESTIC_PASSWORD_FILE',
      'RESTIC_PASSWORD_COMMAND',
    ])
      delete process.env[k];
    writeFileSync(join(dir, 'where'), `${join(dir, 'repo')}\n`);
    writeFileSync(join(dir, 'pw'), 'from-file\n');
  });
  afterAll(() => {
    process.env = saved;
    removeTempDirs();
  });

  it('takes the location from --repository-file and the password from --password-command', async () => {
    const pw = ['--password-command', 'printf "from-command\\n"'];
    const init = await cli(['--repository-file', join(dir, 'where'), ...pw, 'init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect((await cli(['--repository-file', join(dir, 'where'), ...pw, 'snapshots'])).code).toBe(0);
    process.env.RESTIC_REPOSITORY_FILE = join(dir, 'where');
    process.env.RESTIC_PASSWORD_COMMAND = 'echo from-command';
    expect((await cli(['list', 'keys'])).code).toBe(0);
    process.env.RESTIC_PASSWORD_COMMAND = 'echo wrong';
    expect((await cli(['list', 'keys'])).code).toBe(12);
    const both = await cli([...pw, '--password-file', join(dir, 'pw'), 'list', 'keys']);
    expect(both.stderr).toContain('Password file and command are mutually exclusive');
    process.env.RESTIC_PASSWORD_COMMAND = 'exit 3';
    expect((await cli(['list', 'keys'])).code).toBe(1);
  });
});
