import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { multipart, type Part } from '../../../../test/support/multipart.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image body for the test'),
]);

describe('images in articles', () => {
  let app: TestApp;
  let author: TestUser;
  let approver: TestUser;
  let requester: TestUser;
  const upload = (as: TestUser, id: string, parts: Part[]) => {
    const m = multipart(parts);
    return app.as(as).req('POST', `/api/v1/kb/articles/${id}/images`, m.body, m.headers);
  };
  const file = (data: Buffer | string, filename = 'screen.png'): Part => ({ name: 'file', filename, data });
  const stored = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from kb_images`.execute(app.database.db)).rows[0]!.n,
    );
  const write = async (body: Record<string, unknown>) => {
    const r = await app
      .as(author)
      .post('/api/v1/kb/articles', { kind: 'how_to', audience: 'requesters', ...body });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; key: string }>();
  };
  const publish = async (id: string) => {
    expect(
      (await app.as(author).post(`/api/v1/kb/articles/${id}/transitions`, { to: 'in_review' })).statusCode,
    ).toBe(200);
    expect(
      (await app.as(approver).post(`/api/v1/kb/articles/${id}/approvals`, { decision: 'approve' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await app.as(author).post(`/api/v1/kb/articles/${id}/transitions`, { to: 'published' })).statusCode,
    ).toBe(200);
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    author = await app.user('agent', { name: 'Ada Author' });
    approver = await app.user('manager', { name: 'Mia Manager' });
    requester = await app.user('requester', { name: 'Rita Requester' });
    const board = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Board', memberIds: [approver.id] })
    ).json().id;
    const cur = (await app.as(app.admin).get('/api/v1/kb/approvers'))
      .json()
      .items.find((a: { kind: string }) => a.kind === 'how_to');
    await app
      .as(app.admin)
      .put(
        '/api/v1/kb/approvers/how_to',
        { teamId: board, rule: 'any' },
        { 'if-match': `"v${cur.version}"` },
      );
  }, 600_000);
  afterAll(async () => app?.close());

  it('stores an image sniffed from its bytes and serves it to readers only where the published text shows it', async () => {
    const a = await write({ title: 'Find your screen settings', body: 'Open the display settings.' });
    const r = await upload(author, a.id, [{ ...file(PNG), type: 'text/html' }]);
    expect(r.statusCode, r.body).toBe(201);
    const img = r.json();
    expect(img).toMatchObject({ fileName: 'screen.png', contentType: 'image/png', size: PNG.length });
    expect(img.markdown).toBe(`![screen](/api/v1/kb/articles/${a.id}/images/${img.id})`);
    const got = await app.as(author).get(img.url);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/images`)).json().items).toHaveLength(1);
    // a reader sees nothing of a draft, nor an image the published text does not show
    expect((await app.as(requester).get(img.url)).statusCode).toBe(404);
    const other = (await upload(author, a.id, [file(PNG, 'other.png')])).json();
    const cur = await app.as(author).get(`/api/v1/kb/articles/${a.id}`);
    const saved = await app
      .as(author)
      .patch(
        `/api/v1/kb/articles/${a.id}`,
        { body: `Open the display settings.\n\n${img.markdown}` },
        { 'if-match': cur.headers.etag as string },
      );
    expect(saved.statusCode, saved.body).toBe(200);
    await publish(a.id);
    const seen = await app.as(requester).get(img.url);
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['content-type']).toBe('image/png');
    expect((await app.as(requester).get(other.url)).statusCode).toBe(404);
    expect((await app.as(requester).get(`/api/v1/kb/articles/${a.id}/images`)).statusCode).toBe(403);
    // another article's path, an unknown image: 404
    const b = await write({ title: 'Something else', body: 'x' });
    expect((await app.as(author).get(`/api/v1/kb/articles/${b.id}/images/${img.id}`)).statusCode).toBe(404);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/images/${randomUUID()}`)).statusCode).toBe(
      404,
    );
  });

  it('refuses what is not an image, too large, malformed or not the caller’s to change, writing nothing', async () => {
    const a = await write({ title: 'Images refused', body: 'x' });
    const before = await stored();
    const cases: [Part[], number][] = [
      [[file('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.png')], 415],
      [[file('<html><body>hi</body></html>', 'x.png')], 415],
      [[file('plain text', 'x.gif')], 415],
      [[file(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]))], 413],
      [[file(PNG), file(PNG)], 413],
      [[file(PNG), { name: 'alt', data: 'x' }], 413],
      [[{ name: 'image', filename: 'a.png', data: PNG }], 400],
      [[], 400],
    ];
    for (const [parts, status] of cases) {
      const r = await upload(author, a.id, parts);
      expect(r.statusCode, `${parts.map((p) => p.filename ?? p.name).join()} ${r.body}`).toBe(status);
    }
    expect((await app.as(author).post(`/api/v1/kb/articles/${a.id}/images`, { file: 'x' })).statusCode).toBe(
      415,
    );
    expect((await upload(requester, a.id, [file(PNG)])).statusCode).toBe(403);
    expect((await upload(author, randomUUID(), [file(PNG)])).statusCode).toBe(404);
    expect(await stored()).toBe(before);
  });

  it('deletes an image no kept version shows, with its bytes, audited; refuses one a version shows', async () => {
    const a = await write({ title: 'Print a test page', body: 'Open the printer.' });
    const used = (await upload(author, a.id, [file(PNG, 'printer.png')])).json();
    const unused = (await upload(author, a.id, [file(PNG, 'spare.png')])).json();
    const edit = async (body: string) => {
      const cur = await app.as(author).get(`/api/v1/kb/articles/${a.id}`);
      const r = await app
        .as(author)
        .patch(`/api/v1/kb/articles/${a.id}`, { body }, { 'if-match': cur.headers.etag as string });
      expect(r.statusCode, r.body).toBe(200);
    };
    await edit(`Open the printer.\n\n${used.markdown}`);
    await publish(a.id);
    // version 2 (published) shows it; a newer draft without it does not free it
    await edit('Open the printer. No picture needed.');
    const refused = await app.as(author).delete(used.url);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'image_in_use' });
    expect(refused.json().detail).toContain('“printer.png” is shown in version 2 (published) of');
    expect((await app.as(author).get(used.url)).statusCode).toBe(200);
    // readers and agents who may not edit cannot delete; the unused one goes with its bytes, once
    expect((await app.as(requester).delete(unused.url)).statusCode).toBe(403);
    const before = await stored();
    const del = await app.as(author).delete(unused.url);
    expect(del.statusCode, del.body).toBe(204);
    expect(await stored()).toBe(before - 1);
    const chunks = await sql<{ n: string }>`select count(*) as n from kb_image_chunks
      where image_id = ${unused.id}`.execute(app.database.db);
    expect(Number(chunks.rows[0]!.n)).toBe(0);
    expect((await app.as(author).get(unused.url)).statusCode).toBe(404);
    expect((await app.as(author).delete(unused.url)).statusCode).toBe(404);
    const audit = await app.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'after'])
      .where('action', '=', 'kb.image_deleted')
      .where('entity_id', '=', a.id)
      .execute();
    expect(audit).toEqual([
      { actor_id: author.id, after: expect.objectContaining({ imageId: unused.id, fileName: 'spare.png' }) },
    ]);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/images`)).json().items).toEqual([
      expect.objectContaining({ id: used.id }),
    ]);
  });

  it('answers 404 for another article’s image, an unseen article, bad ids; one of two parallel deletes wins', async () => {
    const a = await write({ title: 'Parallel image deletes', body: 'x' });
    const b = await write({ title: 'Another article', body: 'y' });
    const img = (await upload(author, a.id, [file(PNG)])).json();
    expect((await app.as(author).delete(`/api/v1/kb/articles/${b.id}/images/${img.id}`)).statusCode).toBe(
      404,
    );
    expect(
      (await app.as(author).delete(`/api/v1/kb/articles/${a.id}/images/${randomUUID()}`)).statusCode,
    ).toBe(404);
    expect(
      (await app.as(author).delete(`/api/v1/kb/articles/${randomUUID()}/images/${img.id}`)).statusCode,
    ).toBe(404);
    for (const bad of ['KB-1', 'not-an-id', `${img.id}%00`, '%E0%A4%A']) {
      const r = await app.as(author).delete(`/api/v1/kb/articles/${a.id}/images/${bad}`);
      expect(r.statusCode, `${bad} ${r.body}`).toBe(400);
    }
    // a team's article another team's author cannot see: 404, and the image stays
    const vault = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Vault', memberIds: [approver.id] })
    ).json().id;
    const secret = await app.as(approver).post('/api/v1/kb/articles', {
      kind: 'how_to',
      audience: 'team',
      teamId: vault,
      title: 'Vault',
      body: 's',
    });
    expect(secret.statusCode, secret.body).toBe(201);
    const hidden = (await upload(approver, secret.json().id, [file(PNG)])).json();
    expect((await app.as(author).delete(hidden.url)).statusCode).toBe(404);
    expect((await app.as(approver).get(hidden.url)).statusCode).toBe(200);
    const both = await Promise.all([app.as(author).delete(img.url), app.as(author).delete(img.url)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([204, 404]);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/images`)).json().items).toEqual([]);
  });
});
