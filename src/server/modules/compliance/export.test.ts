import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from '../../../../test/support/cli-api.js';
import { multipart } from '../../../../test/support/multipart.js';
import {
  adminApiToken,
  runCli,
  SLOW_CLI_MS,
  startTestServer,
  type TestServer,
} from '../../../../test/support/server.js';
import { zipReadable } from '../backup/index.js';
import { openZip, readEntry, zipEntries } from '../exposure/index.js';

describe('steward compliance and steward audit verify-export', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'steward-cli-compliance-'));
  const api = bearerApi(
    () => srv.url,
    () => env.STEWARD_TOKEN,
  );
  const today = new Date().toISOString().slice(0, 10);
  // The period ends tomorrow: a run that crosses midnight (UTC) still finds today's evidence in it.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  beforeAll(async () => {
    srv = await startTestServer();
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: await adminApiToken(srv) };
  }, SLOW_CLI_MS);
  afterAll(async () => {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The files of a zip, by name. */
  async function unzip(path: string): Promise<Map<string, Buffer>> {
    const fh = await openZip(path);
    try {
      const out = new Map<string, Buffer>();
      for (const e of await zipEntries(fh)) out.set(e.name, await readEntry(fh, e, 1 << 30));
      return out;
    } finally {
      await fh.close();
    }
  }
  /** Rebuilds an archive from `files` (a tamperer's zip: its own checksums agree). */
  async function rezip(path: string, files: Map<string, Buffer>): Promise<void> {
    const mtime = new Date();
    const parts: Buffer[] = [];
    const entries = [...files].map(([name, data]) => ({
      name,
      type: 'file' as const,
      mtime,
      data: () => [data],
    }));
    for await (const chunk of zipReadable(entries)) parts.push(chunk as Buffer);
    writeFileSync(path, Buffer.concat(parts));
  }
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it(
    'loads and imports control sets, exports a period, and verify-export catches every kind of tampering',
    async () => {
      const load = await runCli(['compliance', 'load', 'iso27001-2022'], env);
      expect(load.code, load.stderr).toBe(0);
      expect(load.stdout).toContain('93 controls added');
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"framework":{"key":"x","name":"X"},"controls":[{"ref":"X.1","title":""}]}');
      const refused = await runCli(['compliance', 'import', bad], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('file.controls.0.title');
      const csv = join(dir, 'licensed.csv');
      writeFileSync(csv, 'ref,title,text\nA.8.15,Activity logged,"The licensed text, in full."\n');
      const imported = await runCli(
        ['compliance', 'import', csv, '--key', 'iso27001-2022', '--name', 'ISO/IEC 27001:2022 Annex A'],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('0 controls added, 1 updated');

      const { items: frameworks } = await api<{ items: { id: string; key: string }[] }>(
        'GET',
        '/api/v1/compliance/frameworks',
      );
      const fw = frameworks.find((f) => f.key === 'iso27001-2022')!;
      const { items } = await api<{ items: { id: string; ref: string; version: number }[] }>(
        'GET',
        `/api/v1/compliance/frameworks/${fw.id}/controls`,
      );
      const logging = items.find((c) => c.ref === 'A.8.15')!;
      await api('PATCH', `/api/v1/compliance/controls/${logging.id}`, {
        version: logging.version,
        applicable: true,
        justification: 'We keep audit trails',
      });
      await api('POST', `/api/v1/compliance/controls/${logging.id}/mappings`, {
        source: 'audit_chain',
        effectiveFrom: today,
      });
      await api('POST', `/api/v1/compliance/controls/${logging.id}/collect`, {});
      const m = multipart([{ name: 'file', filename: 'log review.txt', data: 'reviewed the logs' }]);
      const up = await fetch(`${srv.url}/api/v1/compliance/controls/${logging.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.STEWARD_TOKEN}`, ...m.headers },
        body: m.body,
      });
      expect(up.status).toBe(201);

      const zip = join(dir, 'export.zip');
      const exported = await runCli(
        ['compliance', 'export', 'iso27001-2022', '--from', today, '--to', tomorrow, '-o', zip],
        env,
      );
      expect(exported.code, exported.stderr).toBe(0);
      const files = await unzip(zip);
      const names = [...files.keys()];
      expect(names).toEqual(
        expect.arrayContaining([
          'statement-of-applicability.csv',
          'statement-of-applicability.pdf',
          'controls/A.8.15/evidence.csv',
          'controls/A.8.15/evidence.pdf',
          'manifest.json',
          'manifest.sig',
        ]),
      );
      expect(names.some((n) => n.startsWith('controls/A.8.15/files/') && n.endsWith('log review.txt'))).toBe(
        true,
      );
      expect(files.get('statement-of-applicability.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
      expect(files.get('statement-of-applicability.csv')!.toString()).toContain('We keep audit trails');
      const ok = await runCli(['audit', 'verify-export', zip], env);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toContain('the export is intact');

      // A file changed (the archive rebuilt, so its own checksums agree): named, exit 1.
      const changed = new Map(files);
      changed.set('controls/A.8.15/evidence.csv', Buffer.from('at,kind\r\nnothing to see\r\n'));
      const t1 = join(dir, 'changed.zip');
      await rezip(t1, changed);
      const r1 = await runCli(['audit', 'verify-export', t1], env);
      expect(r1.code).toBe(1);
      expect(r1.stdout).toContain('controls/A.8.15/evidence.csv was TAMPERED with');

      // The manifest rewritten to match the change: its signature no longer does.
      const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {
        files: { name: string; size: number; sha256: string }[];
      };
      const entry = manifest.files.find((f) => f.name === 'controls/A.8.15/evidence.csv')!;
      entry.sha256 = sha(changed.get(entry.name)!);
      entry.size = changed.get(entry.name)!.length;
      changed.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
      const t2 = join(dir, 'resigned.zip');
      await rezip(t2, changed);
      const r2 = await runCli(['audit', 'verify-export', t2], env);
      expect(r2.code).toBe(1);
      expect(r2.stdout).toContain('manifest.json was TAMPERED with');

      // A file removed, and one added.
      const third = new Map(files);
      third.delete('statement-of-applicability.pdf');
      third.set('extra.txt', Buffer.from('slipped in'));
      const t3 = join(dir, 'removed.zip');
      await rezip(t3, third);
      const r3 = await runCli(['audit', 'verify-export', '--json', t3], env);
      expect(r3.code).toBe(1);
      const v = JSON.parse(r3.stdout) as { ok: boolean; problems: string[] };
      expect(v.ok).toBe(false);
      expect(v.problems).toEqual(
        expect.arrayContaining([
          'statement-of-applicability.pdf is MISSING from the archive',
          'extra.txt was ADDED: the manifest does not list it',
        ]),
      );
      const notZip = join(dir, 'not.zip');
      writeFileSync(notZip, 'hello');
      expect((await runCli(['audit', 'verify-export', notZip], env)).code).toBe(1);
    },
    // about a dozen CLI runs, each a process of its own (30 s apiece on a busy machine)
    4 * SLOW_CLI_MS,
  );
});
