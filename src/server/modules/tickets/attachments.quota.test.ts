// Attachment totals per ticket and per uploader hold under parallel uploads (the check and the insert are one
// locked step), and every upload, refused, failed or abandoned, leaves nothing on disk or in the database.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { multipart } from '../../../../test/support/multipart.js';

const FILE = 10_000;
const TICKET_TOTAL = 10 * FILE;
const USER_TOTAL = 5 * FILE;

describe('attachment totals and spooling', () => {
  let app: TestApp;
  let dir: string;

  const upload = (as: TestUser, ticketId: string, bytes = FILE) => {
    const m = multipart([{ name: 'file', filename: 'log.bin', data: Buffer.alloc(bytes, 7) }]);
    return app.as(as).req('POST', `/api/v1/tickets/${ticketId}/attachments`, m.body, m.headers);
  };
  const newTicket = async () =>
    (await app.as(app.admin).post('/api/v1/tickets', { type: 'incident', title: 'logs' })).json<{
      id: string;
      key: string;
    }>();
  /** What the database holds: attachments, their sizes, and chunks (none may be left without an attachment). */
  const stored = async () => {
    const r = await sql<{ n: string; bytes: string; chunks: string; chunk_bytes: string; orphans: string }>`
      select (select count(*) from ticket_attachments) as n,
             (select coalesce(sum(size), 0) from ticket_attachments) as bytes,
             (select count(*) from ticket_attachment_chunks) as chunks,
             (select coalesce(sum(length(data)), 0) from ticket_attachment_chunks) as chunk_bytes,
             (select count(*) from ticket_attachment_chunks c
               where not exists (select 1 from ticket_attachments a where a.id = c.attachment_id)) as orphans
    `.execute(app.database.db);
    const row = r.rows[0]!;
    return {
      n: Number(row.n),
      bytes: Number(row.bytes),
      chunkBytes: Number(row.chunk_bytes),
      orphans: Number(row.orphans),
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-uploads-test-'));
    app = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_ATTACHMENT_MAX_BYTES: String(64 * 1024),
      STEWARD_ATTACHMENT_TICKET_TOTAL_BYTES: String(TICKET_TOTAL),
      STEWARD_ATTACHMENT_USER_TOTAL_BYTES: String(USER_TOTAL),
      STEWARD_UPLOAD_DIR: dir,
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores at most a ticket's total under 60 parallel uploads; the rest are 413 naming the ticket", async () => {
    const before = await stored();
    const ticket = await newTicket();
    const agents = await Promise.all(Array.from({ length: 12 }, () => app.user('agent')));
    const results = await Promise.all(
      agents.flatMap((a) => Array.from({ length: 5 }, () => upload(a, ticket.id))),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode === 413);
    expect(ok.length).toBe(TICKET_TOTAL / FILE);
    expect(refused.length).toBe(results.length - ok.length);
    for (const r of refused) {
      expect(r.json().code).toBe('attachment_quota');
      expect(r.json().detail).toContain(`${ticket.key} already holds`);
      expect(r.json().detail).toContain('limit of 100 kB');
    }
    const after = await stored();
    expect(after.bytes - before.bytes).toBe(TICKET_TOTAL);
    expect(after.chunkBytes).toBe(after.bytes);
    expect(after.orphans).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("stores at most an uploader's total across tickets under 60 parallel uploads", async () => {
    const before = await stored();
    const tickets = await Promise.all(Array.from({ length: 6 }, () => newTicket()));
    const agent = await app.user('agent');
    const results = await Promise.all(
      tickets.flatMap((t) => Array.from({ length: 10 }, () => upload(agent, t.id))),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok.length).toBe(USER_TOTAL / FILE);
    for (const r of results.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode).toBe(413);
      expect(r.json().detail).toContain('your limit of 50 kB');
    }
    const after = await stored();
    expect(after.bytes - before.bytes).toBe(USER_TOTAL);
    expect(after.chunkBytes).toBe(after.bytes);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves nothing behind when a file is too large or the client goes away mid-upload', async () => {
    const ticket = await newTicket();
    const before = await stored();
    const tooBig = await upload(app.admin, ticket.id, 64 * 1024 + 1);
    expect(tooBig.statusCode).toBe(413);
    expect(readdirSync(dir)).toEqual([]);

    // A real connection that sends half a file, then hangs up once the server is spooling it.
    await app.server.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.app.server.address() as { port: number }).port;
    const boundary = 'halfway';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/tickets/${ticket.id}/attachments HTTP/1.1\r\nHost: localhost\r\n` +
        `Authorization: Bearer ${app.admin.token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 60000\r\n\r\n`,
    );
    socket.write(Buffer.concat([head, Buffer.alloc(30_000, 1)]));
    await waitFor(() => readdirSync(dir).length === 1);
    socket.destroy();
    await waitFor(() => readdirSync(dir).length === 0);
    expect(await stored()).toEqual(before);
  });
});

/** Polls `check` every 20 ms for up to 10 s. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}
