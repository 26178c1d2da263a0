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
});
