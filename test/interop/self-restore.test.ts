/**
 * Steward's own disaster plan, for real (issue 23 item 3): a Steward server process gets a ticket with an
 * attachment, a CMDB item, a storage target and a device that backed up through it with the stock restic; it backs
 * itself up to that target; then its data folder (or PostgreSQL database) is destroyed. `steward server restore`
 * rebuilds it on a clean folder (an empty database) from the repository and the kept master key; the restarted
 * server has everything back, the device's repository still opens through it, `steward audit verify` passes and
 * restic checks the repository of Steward's backups. Wrong keys, unknown snapshots and occupied destinations are
 * refused with nothing written.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMasterKey } from '../../src/server/platform/master-key.js';
import { serverBackupPassword } from '../../src/server/platform/server-backup.js';
import { reportOf } from '../support/devices.js';
import { multipart } from '../support/multipart.js';
import { requireComponent } from '../support/requires.js';
import {
  adminApiToken,
  freePort,
  freshPostgres,
  runCli,
  SLOW_CLI_MS,
  type ServerProcess,
  startServerProcess,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { resticAsync, resticAvailable } from './restic-helpers.js';

const hasRestic = requireComponent('Steward’s own disaster plan', resticAvailable, 'restic is not installed');

type Json = Record<string, unknown> & { items?: Record<string, unknown>[] };

describe.runIf(hasRestic)('Steward restored from its own backup on a clean machine', () => {
  let server: TestServer;
  let restored: ServerProcess | undefined;
  let restoredEnv: Record<string, string>;
  let restoredDb: { url: string; drop: () => Promise<void> } | undefined;
  let dir: string;
  let url: string;
  let token: string;
  const attachment = randomBytes(200_000);
  const before = {
    ticketKey: '',
    ticketId: '',
    ciId: '',
    deviceCiId: '',
    deviceToken: '',
    deviceSnapshot: '',
    serverSnapshot: '',
  };

  const api = async (method: string, path: string, body?: unknown, bearer = token) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      // not JSON: a download
    }
    return { status: r.status, json, text, etag: r.headers.get('etag') };
  };
  const serverRepo = () => join(dir, 'store', 'steward-server');
  const restore = (args: string[], env = restoredEnv) =>
    runCli(['server', 'restore', '--repo', serverRepo(), ...args], env);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-self-restore-'));
    server = await startTestServer();
    url = server.url;
    token = await adminApiToken(server, 'self-restore test');
  }, SLOW_CLI_MS);
  afterAll(async () => {
    await restored?.stop();
    await server?.stop();
    await restoredDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'backs up a Steward holding tickets, attachments, items and device backups',
    async () => {
      const ticket = await api('POST', '/api/v1/tickets', {
        type: 'incident',
        title: 'Printer on fire',
        description: 'Smoke from tray 2',
        impact: 3,
        urgency: 4,
      });
      expect(ticket.status, ticket.text).toBe(201);
      Object.assign(before, { ticketKey: ticket.json.key, ticketId: ticket.json.id });
      const upload = multipart([
        { name: 'file', filename: 'photo.jpg', type: 'image/jpeg', data: attachment },
      ]);
      const attached = await fetch(`${url}/api/v1/tickets/${before.ticketId}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...upload.headers },
        body: upload.body,
      });
      expect(attached.status, await attached.clone().text()).toBe(201);
      const ci = await api('POST', '/api/v1/cis', {
        classKey: 'server',
        name: 'Mail server',
        assetTag: 'srv-0001',
      });
      expect(ci.status, ci.text).toBe(201);
      before.ciId = ci.json.id as string;

      // A device enrolled and backed up with the stock restic through Steward, its run reported as the agent does.
      const target = await api('POST', '/api/v1/backup/targets', {
        name: 'Backup disk',
        location: join(dir, 'store'),
      });
      expect(target.status, target.text).toBe(201);
      const enrolment = await api('POST', '/api/v1/agents/enrolment-tokens', { uses: 1, note: 'test' });
      const uuid = randomUUID();
      const enrolled = await api('POST', '/api/v1/agents/enrol', {
        enrolmentToken: enrolment.json.token,
        hostname: 'rita-laptop',
        systemUuid: uuid,
      });
      expect(enrolled.status, enrolled.text).toBe(201);
      before.deviceToken = enrolled.json.token as string;
      const report = await api(
        'POST',
        '/api/v1/agents/report',
        reportOf('rita-laptop', uuid),
        before.deviceToken,
      );
      before.deviceCiId = report.json.ciId as string;
      expect(
        (await api('PUT', `/api/v1/backup/repositories/${before.deviceCiId}`, { targetId: target.json.id }))
          .status,
      ).toBe(201);
      const src = join(dir, 'home');
      mkdirSync(src, { recursive: true });
      writeFileSync(join(src, 'budget.ods'), randomBytes(50_000));
      const started = new Date().toISOString();
      const backedUp = await resticAsync(['backup', '--host', 'rita-laptop', src], await deviceEnv());
      expect(backedUp.status, backedUp.stderr).toBe(0);
      before.deviceSnapshot = (await deviceSnapshots())[0]!;
      const reported = await api(
        'POST',
        '/api/v1/agents/backup/runs',
        {
          startedAt: started,
          finishedAt: new Date().toISOString(),
          status: 'succeeded',
          snapshotId: before.deviceSnapshot,
          filesNew: 1,
          filesChanged: 0,
          filesUnmodified: 0,
          bytesProcessed: 50_000,
          bytesAdded: 50_000,
          warnings: [],
          error: null,
        },
        before.deviceToken,
      );
      expect(reported.status, reported.text).toBe(201);

      // A signed checkpoint of the audit chain, kept outside the database (the server writes them every 5 minutes).
      if (server.env.DATABASE_URL) {
        const c = await runCli(['audit', 'checkpoint'], server.env);
        expect(c.code, c.stderr).toBe(0);
      }

      // Steward's own backup, to the same target, started by hand.
      const settings = await api('GET', '/api/v1/dr/server-backup');
      const put = await fetch(`${url}/api/v1/dr/server-backup`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'if-match': settings.etag!,
        },
        body: JSON.stringify({
          enabled: true,
          targetId: target.json.id,
          cron: '30 1 * * *',
          timeZone: 'UTC',
        }),
      });
      expect(put.status).toBe(200);
      const run = await api('POST', '/api/v1/dr/server-backup/runs');
      expect(run.status, run.text).toBe(202);
      const finished = await waitForRun(run.json.id as string);
      expect(finished, JSON.stringify(finished)).toMatchObject({ status: 'succeeded', error: null });
      before.serverSnapshot = finished.snapshotId as string;

      // The admin keeps the master key off the machine, as the README asks.
      mkdirSync(join(dir, 'safe'));
      copyFileSync(join(server.env.STEWARD_DATA_DIR!, 'master.key'), join(dir, 'safe', 'master.key'));
    },
    SLOW_CLI_MS,
  );

  it('lets the stock restic check the repository of Steward’s backups', async () => {
    const env = {
      RESTIC_REPOSITORY: serverRepo(),
      RESTIC_PASSWORD: serverBackupPassword(
        loadMasterKey(join(dir, 'safe', 'master.key'), { create: false }),
      ),
    };
    const check = await resticAsync(['check', '--read-data', '--no-cache'], env);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/no errors were found/);
    const snaps = JSON.parse((await resticAsync(['snapshots', '--json', '--no-cache'], env)).stdout) as {
      id: string;
      tags: string[];
    }[];
    expect(snaps.map((s) => s.id)).toContain(before.serverSnapshot);
    expect(snaps[0]!.tags).toContain('steward-server');
  });

  it(
    'refuses a wrong master key and an unknown snapshot, writing nothing',
    async () => {
      // The machine is lost: the server stops and its data folder (or database) is destroyed.
      await server.stop();
      const pgUrl = process.env.TEST_DATABASE_URL;
      restoredDb = pgUrl ? await freshPostgres(pgUrl) : undefined;
      restoredEnv = {
        STEWARD_DATA_DIR: join(dir, 'new-machine'),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        ...(restoredDb ? { DATABASE_URL: restoredDb.url } : {}),
      };
      const wrongKey = join(dir, 'wrong.key');
      writeFileSync(wrongKey, randomBytes(32).toString('hex'));
      const wrong = await restore(['--master-key', wrongKey]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/this master key does not open the repository/);
      const unknown = await restore([
        '--master-key',
        join(dir, 'safe', 'master.key'),
        '--snapshot',
        'deadbeef',
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no backup of Steward with id deadbeef/);
      expect(existsSync(restoredEnv.STEWARD_DATA_DIR!)).toBe(false);
      if (restoredDb) {
        const c = new pg.Client({ connectionString: restoredDb.url });
        await c.connect();
        const t = await c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
        );
        await c.end();
        expect(t.rows[0]!.n).toBe(0);
      }
    },
    SLOW_CLI_MS,
  );

  it(
    'restores on a clean machine: everything is back and the audit trail verifies',
    async () => {
      const r = await restore(['--master-key', join(dir, 'safe', 'master.key')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`restored snapshot ${before.serverSnapshot.slice(0, 8)}`);
      // The old configuration comes back for reference, passwords left out.
      const oldConfig = readFileSync(
        join(restoredEnv.STEWARD_DATA_DIR!, 'restored-configuration.env'),
        'utf8',
      );
      expect(oldConfig).toContain(`PORT="${server.env.PORT}"`);
      expect(oldConfig).not.toMatch(/postgres:\/\/[^:@/]+:[^*@]+@/);
      restored = await startServerProcess(restoredEnv);
      url = restored.url;
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
      });
      expect(login.status).toBe(200);
      // The API token made before the disaster works: it is in the restored database.
      const ticket = await api('GET', `/api/v1/tickets/${before.ticketId}`);
      expect(ticket.status).toBe(200);
      expect(ticket.json).toMatchObject({ key: before.ticketKey, title: 'Printer on fire' });
      const files = await api('GET', `/api/v1/tickets/${before.ticketId}/attachments`);
      expect(files.json.items).toHaveLength(1);
      const content = await fetch(
        `${url}/api/v1/tickets/${before.ticketId}/attachments/${String(files.json.items![0]!.id)}/content`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(sha(Buffer.from(await content.arrayBuffer()))).toBe(sha(attachment));
      expect((await api('GET', `/api/v1/cis/${before.ciId}`)).json).toMatchObject({ name: 'Mail server' });
      const repos = await api('GET', '/api/v1/backup/repositories');
      expect(repos.json.items!.map((x) => x.ciId)).toContain(before.deviceCiId);
      const runs = await api('GET', `/api/v1/backup/runs?ciId=${before.deviceCiId}`);
      expect(runs.json.items).toHaveLength(1);
      // The device's repository still opens through the restored Steward with the device's own credentials.
      expect(await deviceSnapshots()).toEqual([before.deviceSnapshot]);
      // The run that took the backup reads succeeded (its dump was taken mid-run), and the next one can start.
      const own = await api('GET', '/api/v1/dr/server-backup/runs');
      expect(own.json.items![0]).toMatchObject({ status: 'succeeded', snapshotId: before.serverSnapshot });
      expect((await api('GET', '/api/v1/dr/server-backup')).json).toMatchObject({
        enabled: true,
        targetName: 'Backup disk',
        runningSince: null,
      });
      const audit = await api('GET', '/api/v1/audit?limit=200');
      expect(audit.json.items!.map((e) => e.action)).toContain('dr.server_restored');
      const next = await api('POST', '/api/v1/dr/server-backup/runs');
      expect(next.status, next.text).toBe(202);
      expect((await waitForRun(next.json.id as string)).status).toBe('succeeded');

      await restored.stop();
      const verify = await runCli(['audit', 'verify'], restoredEnv);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain('the chain is intact');
      if (restoredEnv.DATABASE_URL) expect(verify.stdout).toMatch(/[1-9]\d* checkpoints read/);
    },
    SLOW_CLI_MS,
  );

  it(
    'refuses to restore over a Steward that is there already',
    async () => {
      const listing = () => readdirSync(restoredEnv.STEWARD_DATA_DIR!).sort();
      const files = listing();
      const again = await restore(['--master-key', join(dir, 'safe', 'master.key')]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds a Steward database|the database is not empty/);
      expect(listing()).toEqual(files);
    },
    SLOW_CLI_MS,
  );

  async function waitForRun(id: string): Promise<Json> {
    for (let i = 0; i < 600; i++) {
      const runs = await api('GET', '/api/v1/dr/server-backup/runs');
      const run = runs.json.items?.find((x) => x.id === id);
      if (run && run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the backup of Steward did not finish');
  }

  async function deviceEnv(): Promise<Record<string, string>> {
    const access = await api('GET', '/api/v1/agents/backup', undefined, before.deviceToken);
    expect(access.status, access.text).toBe(200);
    const u = new URL(`${url}/api/v1/backup/devices/${before.deviceCiId}/`);
    u.username = access.json.username as string;
    u.password = before.deviceToken;
    return {
      RESTIC_REPOSITORY: `rest:${u.toString()}`,
      RESTIC_PASSWORD: access.json.repositoryPassword as string,
    };
  }

  async function deviceSnapshots(): Promise<string[]> {
    const r = await resticAsync(['snapshots', '--json', '--no-cache'], await deviceEnv());
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { id: string }[]).map((s) => s.id);
  }
});
