// The CLI as a real process against a real server process: the first admin made while the server runs (through
// its set-up token), `steward --version`, and messages that say what is wrong.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS, startTestServer, type TestServer } from '../../test/support/server.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('steward admin create while the server runs, and clear CLI messages', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ noAdmin: true });
  }, SLOW_CLI_MS);
  afterAll(async () => srv?.stop());

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], {});
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it(
    'tells a fresh install how to make its first admin, and makes it through the running server',
    async () => {
      expect(srv.log()).toMatch(
        /No admin yet\. Create the first one: steward admin create .*--setup-token stw_setup_/,
      );
      const setup = await (await fetch(`${srv.url}/api/v1/setup`)).json();
      expect(setup).toEqual({ needed: true });
      // No --setup-token: the command reads it from the data folder the server wrote it to.
      const r = await runCli(
        ['admin', 'create', '--email', 'root@example.com', '--name', 'Root Admin'],
        { ...srv.env, STEWARD_URL: srv.url },
        'a long and unusual password\n',
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('created admin root@example.com');
      const login = await fetch(`${srv.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.com', password: 'a long and unusual password' }),
      });
      expect(login.status).toBe(200);
      expect(await (await fetch(`${srv.url}/api/v1/setup`)).json()).toEqual({ needed: false });
    },
    SLOW_CLI_MS,
  );

  it(
    'says why a set-up token or an API token is refused, and which server it cannot reach',
    async () => {
      const again = await runCli(
        [
          'admin',
          'create',
          '--email',
          'second@example.com',
          '--name',
          'Second',
          '--setup-token',
          'stw_setup_used-or-made-up-token',
        ],
        { ...srv.env, STEWARD_URL: srv.url },
        'a long and unusual password\n',
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Steward has an admin already');
      if (!srv.env.DATABASE_URL) {
        // The embedded database belongs to the running server: the command says what to do instead.
        const direct = await runCli(
          ['admin', 'create', '--email', 'third@example.com', '--name', 'Third'],
          srv.env,
          'a long and unusual password\n',
        );
        expect(direct.code).toBe(1);
        expect(direct.stderr).toContain('steward user create --role admin');
      }
      const refused = await runCli(['user', 'list'], {
        STEWARD_URL: srv.url,
        STEWARD_TOKEN: 'stw_this-token-was-never-issued-by-steward',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the API token was refused');
      expect(refused.stderr).not.toContain('sign in first');
      const noToken = await runCli(['user', 'list', '--server', srv.url], { STEWARD_TOKEN: undefined });
      expect(noToken.stderr).toContain('sign in first (pass --token or set STEWARD_TOKEN)');
      const away = await runCli(['user', 'list', '--server', 'http://127.0.0.1:9', '--token', 'x'], {});
      expect(away.code).toBe(1);
      expect(away.stderr).toContain('cannot reach Steward at http://127.0.0.1:9');
      const awaySetup = await runCli(
        [
          'admin',
          'create',
          '--email',
          'x@example.com',
          '--name',
          'X',
          '--setup-token',
          'stw_setup_x',
          '--server',
          'http://127.0.0.1:9',
        ],
        srv.env,
        'a long and unusual password\n',
      );
      expect(awaySetup.code).toBe(1);
      expect(awaySetup.stderr).toContain('cannot reach Steward at http://127.0.0.1:9');
    },
    SLOW_CLI_MS,
  );
});
