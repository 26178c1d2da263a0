import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { multipart, type Part } from '../../../../test/support/multipart.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);

describe('ticket attachments', () => {
  let app: TestApp;
  let requester: TestUser;
  let other: TestUser;
  let agent: TestUser;
  let outsider: TestUser;
  let ticket: string;

  const upload = (as: TestUser, id: string, parts: Part[]) => {
    const m = multipart(parts);
    return app.as(as).req('POST', `/api/v1/tickets/${id}/attachments`, m.body, m.headers);
  };
  const rows = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from ticket_attachments`.execute(app.database.db))
        .rows[0]!.n,
    );

  beforeAll(async () => {
    app = await setup({ STEWARD_ATTACHMENT_MAX_BYTES: '4096', STEWARD_JOBS: 'off' });
    [requester, other, agent, outsider] = await Promise.all([
      app.user('requester'),
      app.user('requester'),
      app.user('agent'),
      app.user('agent'),
    ]);
    const team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })
    ).json();
    await app.as(app.admin).post('/api/v1/teams', { name: 'Elsewhere', memberIds: [outsider.id] });
    ticket = (
      await app.as(app.admin).post('/api/v1/tickets', {
        type: 'incident',
        title: 'printer jams',
        requesterId: requester.id,
        teamId: team.id,
        assigneeId: agent.id,
      })
    ).json().id;
  });
  afterAll(async () => app.close());

  it('stores a file, sniffs its type from the bytes and serves it back unchanged', async () => {
    const r = await upload(requester, ticket, [
      { name: 'file', filename: 'photo.txt', type: 'text/plain', data: PNG },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const [a] = r.json().items;
    expect(a).toMatchObject({
      fileName: 'photo.txt',
      contentType: 'image/png',
      size: PNG.length,
      internal: false,
    });
    const d = await app.as(agent).get(a.downloadUrl);
    expect(d.statusCode).toBe(200);
    expect(d.rawPayload.equals(PNG)).toBe(true);
    expect(d.headers['content-type']).toBe('image/png');
    expect(d.headers['content-disposition']).toMatch(/^inline; filename="photo.txt"/);
    expect(d.headers['x-content-type-options']).toBe('nosniff');
    expect(d.headers['content-security-policy']).toContain('sandbox');
    const list = (await app.as(requester).get(`/api/v1/tickets/${ticket}/attachments`)).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(a.id);
    const tl = JSON.stringify((await app.as(requester).get(`/api/v1/tickets/${ticket}/timeline`)).json());
    expect(tl).toContain('"kind":"attachment"');
  });

  it('serves anything scriptable as an octet-stream download, whatever its name says', async () => {
    const html = '<!DOCTYPE html><html><script>alert(document.cookie)</script></html>';
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>';
    const r = await upload(requester, ticket, [
      { name: 'file', filename: 'innocent.png', type: 'image/png', data: html },
      { name: 'file', filename: 'logo.svg', type: 'image/svg+xml', data: svg },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const [h, s] = r.json().items;
    expect(h.contentType).toBe('text/html');
    expect(s.contentType).toBe('image/svg+xml');
    for (const a of [h, s]) {
      const d = await app.as(requester).get(a.downloadUrl);
      expect(d.headers['content-type']).toBe('application/octet-stream');
      expect(d.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('keeps only the last segment of a file name, without control characters', async () => {
    const r = await upload(requester, ticket, [
      { name: 'file', filename: '../../etc/pass\u0007wd', data: 'x' },
      { name: 'file', filename: 'Ünïcode räport.txt', data: 'y' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().items.map((a: { fileName: string }) => a.fileName)).toEqual([
      'passwd',
      'Ünïcode räport.txt',
    ]);
    const d = await app.as(requester).get(r.json().items[1].downloadUrl);
    expect(d.headers['content-disposition']).toContain(
      "filename*=UTF-8''%C3%9Cn%C3%AFcode%20r%C3%A4port.txt",
    );
  });

  it('hides attachments on internal notes from requesters everywhere (404, not listed, no timeline event)', async () => {
    const note = await app
      .as(agent)
      .post(`/api/v1/tickets/${ticket}/comments`, { body: 'vendor case 4711', internal: true });
    const r = await upload(agent, ticket, [
      { name: 'commentId', data: note.json().id },
      { name: 'file', filename: 'vendor-quote.pdf', data: '%PDF-1.7 secret prices' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json().items[0];
    expect(a).toMatchObject({ internal: true, commentId: note.json().id, contentType: 'application/pdf' });
    expect((await app.as(requester).get(`/api/v1/tickets/${ticket}/attachments/${a.id}`)).statusCode).toBe(
      404,
    );
    expect((await app.as(requester).get(a.downloadUrl)).statusCode).toBe(404);
    const list = (await app.as(requester).get(`/api/v1/tickets/${ticket}/attachments`)).json();
    expect(list.items.some((x: { id: string }) => x.id === a.id)).toBe(false);
    const tl = JSON.stringify(
      (await app.as(requester).get(`/api/v1/tickets/${ticket}/timeline?limit=200`)).json(),
    );
    expect(tl).not.toContain('vendor-quote.pdf');
    expect(
      JSON.stringify((await app.as(agent).get(`/api/v1/tickets/${ticket}/timeline?limit=200`)).json()),
    ).toContain('vendor-quote.pdf');
    // A requester cannot attach to the note either: it does not exist for them.
    const probe = await upload(requester, ticket, [
      { name: 'commentId', data: note.json().id },
      { name: 'file', filename: 'x.txt', data: 'x' },
    ]);
    expect(probe.statusCode).toBe(404);
  });

  it('answers 404 to callers who may not see the ticket, on every attachment route', async () => {
    const a = (await upload(requester, ticket, [{ name: 'file', filename: 'a.txt', data: 'a' }])).json()
      .items[0];
    for (const who of [other, outsider]) {
      expect((await upload(who, ticket, [{ name: 'file', filename: 'b.txt', data: 'b' }])).statusCode).toBe(
        404,
      );
      expect((await app.as(who).get(`/api/v1/tickets/${ticket}/attachments`)).statusCode).toBe(404);
      expect((await app.as(who).get(`/api/v1/tickets/${ticket}/attachments/${a.id}`)).statusCode).toBe(404);
      expect((await app.as(who).get(a.downloadUrl)).statusCode).toBe(404);
      expect((await app.as(who).delete(`/api/v1/tickets/${ticket}/attachments/${a.id}`)).statusCode).toBe(
        404,
      );
    }
    // An attachment id under another ticket's URL is not found either.
    const mine = (await app.as(other).post('/api/v1/tickets', { type: 'request', title: 'mine' })).json().id;
    expect((await app.as(other).get(`/api/v1/tickets/${mine}/attachments/${a.id}/content`)).statusCode).toBe(
      404,
    );
  });

  it('refuses bad uploads with a 4xx and writes nothing', async () => {
    const before = await rows();
    const tooBig = await upload(requester, ticket, [
      { name: 'file', filename: 'ok.txt', data: 'fine' },
      { name: 'file', filename: 'big.bin', data: Buffer.alloc(5000, 1) },
    ]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('attachment_too_large');
    const cases: [string, Awaited<ReturnType<typeof upload>>][] = [
      ['json body', await app.as(requester).post(`/api/v1/tickets/${ticket}/attachments`, { file: 'x' })],
      ['no file', await upload(requester, ticket, [{ name: 'internal', data: 'false' }])],
      [
        'unknown field',
        await upload(requester, ticket, [
          { name: 'owner', data: 'me' },
          { name: 'file', filename: 'a', data: 'a' },
        ]),
      ],
      ['wrong file field', await upload(requester, ticket, [{ name: 'upload', filename: 'a', data: 'a' }])],
      [
        'bad commentId',
        await upload(requester, ticket, [
          { name: 'commentId', data: 'nope' },
          { name: 'file', filename: 'a', data: 'a' },
        ]),
      ],
      [
        'internal by a requester',
        await upload(requester, ticket, [
          { name: 'internal', data: 'true' },
          { name: 'file', filename: 'a', data: 'a' },
        ]),
      ],
      [
        'broken multipart',
        await app
          .as(requester)
          .req(
            'POST',
            `/api/v1/tickets/${ticket}/attachments`,
            '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nno end',
            {
              'content-type': 'multipart/form-data; boundary=x',
            },
          ),
      ],
    ];
    for (const [what, r] of cases) {
      expect(r.statusCode, `${what}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, what).toBeLessThan(500);
    }
    expect(await rows()).toBe(before);
  });

  it('lets the uploader or an agent delete an attachment, on the timeline and in the audit trail', async () => {
    const mine = (await upload(requester, ticket, [{ name: 'file', filename: 'mine.txt', data: 'm' }])).json()
      .items[0];
    const theirs = (await upload(agent, ticket, [{ name: 'file', filename: 'theirs.txt', data: 't' }])).json()
      .items[0];
    expect(
      (await app.as(requester).delete(`/api/v1/tickets/${ticket}/attachments/${theirs.id}`)).statusCode,
    ).toBe(403);
    expect(
      (await app.as(requester).delete(`/api/v1/tickets/${ticket}/attachments/${mine.id}`)).statusCode,
    ).toBe(204);
    expect(
      (await app.as(agent).delete(`/api/v1/tickets/${ticket}/attachments/${theirs.id}`)).statusCode,
    ).toBe(204);
    expect((await app.as(agent).get(mine.downloadUrl)).statusCode).toBe(404);
    const audit = await sql<{
      action: string;
    }>`select action from audit_log where action like 'ticket.attachment%'`.execute(app.database.db);
    expect(audit.rows.filter((r) => r.action === 'ticket.attachment_deleted')).toHaveLength(2);
  });

  it('takes no attachments on a closed ticket', async () => {
    const t = (
      await app.as(requester).post('/api/v1/tickets', { type: 'request', title: 'short lived' })
    ).json().id;
    expect(
      (await app.as(requester).post(`/api/v1/tickets/${t}/transition`, { status: 'cancelled' })).statusCode,
    ).toBe(200);
    const r = await upload(requester, t, [{ name: 'file', filename: 'late.txt', data: 'late' }]);
    expect(r.statusCode).toBe(409);
  });
});
