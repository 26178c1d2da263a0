import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { sendRotationReminders } from './index.js';

describe('the credential vault', () => {
  let app: TestApp;
  let rita: TestUser;
  let tom: TestUser;
  let mia: TestUser;
  let reqr: TestUser;
  let team: string;
  const logs: string[] = [];
  // A secret planted everywhere a secret goes: it must come back only from reveals.
  const planted = `PLANTED-${randomBytes(9).toString('base64url')}`;
  const admin = () => app.as(app.admin);
  const credential = async (name: string, caller = admin()) => {
    const r = await caller.post('/api/v1/cis', {
      classKey: 'credential',
      name,
      custom: { system: 'core-router' },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const setSecret = async (id: string, body: Record<string, unknown>, who: TestUser = rita) => {
    const r = await app.as(who).put(`/api/v1/vault/${id}/secret`, body);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const reveal = (id: string, who: TestUser, body: Record<string, unknown> = { reason: 'router reboot' }) =>
    app.as(who).post(`/api/v1/vault/${id}/reveal`, body);

  beforeAll(async () => {
    app = await setup({ LOG_LEVEL: 'debug' }, undefined, { logStream: { write: (l) => void logs.push(l) } });
    rita = await app.user('agent', { name: 'Rita Agent' });
    tom = await app.user('agent', { name: 'Tom Agent' });
    mia = await app.user('agent', { name: 'Mia Agent' });
    reqr = await app.user('requester');
    const t = await admin().post('/api/v1/teams', { name: 'Network team', memberIds: [tom.id] });
    expect(t.statusCode, t.body).toBe(201);
    team = t.json().id;
  });
  afterAll(async () => app?.close());

  it('keeps a secret shared with people and teams, revealed with a reason that the item shows', async () => {
    const id = await credential('Core router admin');
    const first = await setSecret(id, { username: 'admin', password: planted, notes: `notes ${planted}` });
    expect(first).toMatchObject({ hasSecret: true, currentVersion: 1, username: 'admin', canManage: true });
    expect(first.shares).toEqual([{ userId: rita.id, teamId: null, name: 'Rita Agent', level: 'manage' }]);
    // Not shared with Tom yet: he may see the entry (no secret) but not reveal it; requesters see nothing.
    expect((await reveal(id, tom)).statusCode).toBe(403);
    expect((await app.as(reqr).get(`/api/v1/vault/${id}`)).statusCode).toBe(404);
    expect((await reveal(id, reqr)).statusCode).toBe(404);
    // Tom may not share it with himself; Rita shares it with his team.
    const self = await app
      .as(tom)
      .put(`/api/v1/vault/${id}/shares`, { shares: [{ userId: tom.id, level: 'manage' }] });
    expect(self.statusCode).toBe(403);
    const shared = await app.as(rita).put(`/api/v1/vault/${id}/shares`, {
      shares: [
        { userId: rita.id, level: 'manage' },
        { teamId: team, level: 'reveal' },
      ],
    });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.json().shares.map((s: { name: string }) => s.name)).toEqual(['Rita Agent', 'Network team']);
    // A reason is required.
    expect((await reveal(id, tom, {})).statusCode).toBe(400);
    const r = await reveal(id, tom);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json()).toEqual({
      version: 1,
      username: 'admin',
      password: planted,
      privateKey: null,
      notes: `notes ${planted}`,
    });
    const seen = (await app.as(mia).get(`/api/v1/vault/${id}`)).json();
    expect(seen.canReveal).toBe(false);
    expect(seen.reveals).toEqual([
      { by: 'Tom Agent', at: expect.any(String), reason: 'router reboot', version: 1 },
    ]);
    // Tom reveals but does not manage: no rotation.
    expect(
      (await app.as(tom).put(`/api/v1/vault/${id}/secret`, { password: 'another one' })).statusCode,
    ).toBe(403);
    // A non-credential item has no vault entry.
    const laptop = await admin().post('/api/v1/cis', { classKey: 'laptop', name: 'Laptop 7' });
    expect((await app.as(rita).get(`/api/v1/vault/${laptop.json().id}`)).statusCode).toBe(404);
  });

  it('keeps every version: earlier ones are revealed and restored; generation follows the policy', async () => {
    const id = await credential('Firewall root');
    await setSecret(id, {
      password: 'first password 1',
      privateKey: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
    });
    const second = await setSecret(id, {
      generate: { length: 40, symbols: false, uppercase: false, lowercase: false, digits: true },
      reason: 'quarterly rotation',
    });
    expect(second.currentVersion).toBe(2);
    const now = (await reveal(id, rita)).json();
    expect(now.password).toMatch(/^\d{40}$/);
    expect(now.privateKey).toContain('BEGIN KEY'); // kept from version 1
    const old = await reveal(id, rita, { reason: 'compare', version: 1 });
    expect(old.json().password).toBe('first password 1');
    const restored = await app
      .as(rita)
      .post(`/api/v1/vault/${id}/versions/1/restore`, { reason: 'device reset' });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(
      restored
        .json()
        .versions.map((v: { version: number; reason: string; by: string }) => [v.version, v.by, v.reason]),
    ).toEqual([
      [3, 'Rita Agent', 'restored version 1: device reset'],
      [2, 'Rita Agent', 'quarterly rotation'],
      [1, 'Rita Agent', ''],
    ]);
    expect((await reveal(id, rita)).json().password).toBe('first password 1');
    expect((await reveal(id, rita, { reason: 'x', version: 9 })).statusCode).toBe(404);
    // Generation: uniform choice from the chosen sets, each set present, nothing ambiguous when asked.
    const g = await app.as(rita).post('/api/v1/vault/generate', { length: 64, avoidAmbiguous: true });
    expect(g.json().password).toHaveLength(64);
    expect(g.json().password).toMatch(/[a-z]/);
    expect(g.json().password).toMatch(/[A-Z]/);
    expect(g.json().password).toMatch(/\d/);
    expect(g.json().password).not.toMatch(/[0Oo1lI|]/);
    const none = await app.as(rita).post('/api/v1/vault/generate', {
      lowercase: false,
      uppercase: false,
      digits: false,
      symbols: false,
    });
    expect(none.statusCode).toBe(400);
    expect((await app.as(rita).post('/api/v1/vault/generate', { length: 4 })).statusCode).toBe(400);
    expect(
      (await app.as(rita).put(`/api/v1/vault/${id}/secret`, { password: 'x', extra: 1 })).statusCode,
    ).toBe(400);
    expect((await app.as(rita).put(`/api/v1/vault/${id}/secret`, { password: 'a\u0000b' })).statusCode).toBe(
      400,
    );
    expect(
      (await app.as(rita).post(`/api/v1/vault/${id}/versions/0/restore`, { reason: 'x' })).statusCode,
    ).toBe(400);
    // With every share removed, nobody but an admin may take the credential over (its versions stay closed).
    expect((await app.as(rita).put(`/api/v1/vault/${id}/shares`, { shares: [] })).statusCode).toBe(200);
    expect((await app.as(mia).put(`/api/v1/vault/${id}/secret`, { password: 'mine now' })).statusCode).toBe(
      403,
    );
    const grab = await app
      .as(mia)
      .put(`/api/v1/vault/${id}/shares`, { shares: [{ userId: mia.id, level: 'manage' }] });
    expect(grab.statusCode).toBe(403);
    expect((await app.as(mia).get(`/api/v1/vault/${id}`)).json().canManage).toBe(false);
  });

  it('gives parallel rotations one new version each, in order, none lost', async () => {
    const id = await credential('Shared database account');
    await setSecret(id, { password: 'version one' });
    const passwords = Array.from({ length: 20 }, (_, i) => `parallel password ${i}`);
    const results = await Promise.all(
      passwords.map((password) => app.as(rita).put(`/api/v1/vault/${id}/secret`, { password })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(passwords.map(() => 200));
    const entry = (await app.as(rita).get(`/api/v1/vault/${id}`)).json();
    expect(entry.currentVersion).toBe(21);
    expect(entry.versions.map((v: { version: number }) => v.version)).toEqual(
      Array.from({ length: 21 }, (_, i) => 21 - i),
    );
    const stored = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await reveal(id, rita, { reason: 'check', version: i + 2 })).json().password,
      ),
    );
    expect(stored.sort()).toEqual([...passwords].sort());
  });

  it('makes rotation due after a reveal and reminds its managers once', async () => {
    const id = await credential('Backup NAS admin');
    await setSecret(id, { password: 'nas password' });
    const s = await app
      .as(rita)
      .patch(`/api/v1/vault/${id}/settings`, { rotateAfterReveal: true, rotationDays: 90 });
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().rotationOverdue).toBe(false);
    await app.as(rita).put(`/api/v1/vault/${id}/shares`, {
      shares: [
        { userId: rita.id, level: 'manage' },
        { userId: mia.id, level: 'reveal' },
      ],
    });
    expect((await reveal(id, mia, { reason: 'restore job' })).statusCode).toBe(200);
    const after = (await app.as(rita).get(`/api/v1/vault/${id}`)).json();
    expect(after.rotationOverdue).toBe(true);
    expect(after.rotationDue).toBe(new Date().toISOString().slice(0, 10));
    const before = (await app.as(rita).get('/api/v1/notifications')).json().items.length;
    expect(await sendRotationReminders(app.server.ctx)).toBeGreaterThanOrEqual(1);
    expect(await sendRotationReminders(app.server.ctx)).toBe(0);
    const notes = (await app.as(rita).get('/api/v1/notifications')).json().items;
    expect(notes.length).toBe(before + 1);
    expect(JSON.stringify(notes)).toContain('Backup NAS admin');
    // Rotating sets the next due date 90 days on.
    const rotated = await setSecret(id, { password: 'new nas password' });
    expect(rotated.rotationOverdue).toBe(false);
    expect(rotated.rotationDue).toBe(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
    // The list shows what is shared with the caller.
    const list = (await app.as(mia).get('/api/v1/vault')).json().items;
    expect(list.map((i: { name: string; level: string }) => [i.name, i.level])).toEqual([
      ['Backup NAS admin', 'reveal'],
    ]);
  });

  it('imports Bitwarden, KeePass and 1Password exports, with a dry run first', async () => {
    const bitwarden = [
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      `Servers,,login,Mail server,,,0,https://mail.example.com/admin,postmaster,${planted}-bw,`,
      ',,login,Core router admin,,,0,,admin,dup,',
      ',,login,,,,0,,nobody,nameless,',
    ].join('\n');
    const dry = await app.as(rita).post('/api/v1/vault/import', { csv: bitwarden, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ format: 'bitwarden', dryRun: true, created: 0, skipped: 2 });
    expect(
      dry
        .json()
        .rows.map((r: { name: string; system: string; action: string }) => [r.name, r.system, r.action]),
    ).toEqual([
      ['Mail server', 'mail.example.com', 'create'],
      ['Core router admin', 'Core router admin', 'skip'],
      ['', '', 'skip'],
    ]);
    expect((await admin().get('/api/v1/cis?q=Mail%20server')).json().items).toEqual([]);
    const real = await app.as(rita).post('/api/v1/vault/import', { csv: bitwarden, dryRun: false });
    expect(real.json()).toMatchObject({ created: 1, skipped: 2 });
    const mail = (await admin().get('/api/v1/cis?q=Mail%20server')).json().items[0];
    expect((await reveal(mail.id, rita)).json()).toMatchObject({
      username: 'postmaster',
      password: `${planted}-bw`,
    });

    const keepass =
      '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n"Root/Printers","Printer admin","root","kp-secret","","on the 2nd floor","","0","",""\n';
    const onePassword =
      'Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\nWiki bot,https://wiki.example.com,bot,1p-secret,,false,false,,\n';
    for (const [csv, format, name] of [
      [keepass, 'keepass', 'Printer admin'],
      [onePassword, '1password', 'Wiki bot'],
    ] as const) {
      const r = await app.as(rita).post('/api/v1/vault/import', { csv, dryRun: false });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ format, created: 1 });
      const item = (await admin().get(`/api/v1/cis?q=${encodeURIComponent(name)}`)).json().items[0];
      expect((await reveal(item.id, rita)).json().password).toMatch(/-secret$/);
    }
    const unknown = await app.as(rita).post('/api/v1/vault/import', { csv: 'a,b\n1,2\n', dryRun: true });
    expect(unknown.statusCode).toBe(400);
    expect((await app.as(reqr).post('/api/v1/vault/import', { csv: onePassword })).statusCode).toBe(404);
  });

  it('never lets a secret out in logs, lists, exports, the audit trail, error messages or the database', async () => {
    const id = await credential('Leak probe');
    await setSecret(id, { password: planted, privateKey: planted, notes: planted });
    const bad = await app.as(rita).put(`/api/v1/vault/${id}/secret`, { password: `${planted}\u0000` });
    expect(bad.statusCode).toBe(400);
    const tooLong = await app.as(rita).put(`/api/v1/vault/${id}/secret`, { password: planted.repeat(500) });
    expect(tooLong.statusCode).toBe(400);
    const forbidden = await app.as(mia).put(`/api/v1/vault/${id}/secret`, { password: planted });
    expect(forbidden.statusCode).toBe(403);
    // A sealed value copied into another row does not open there: a clear error without the secret.
    const other = await credential('Leak probe 2');
    await setSecret(other, { password: 'other secret value' });
    const { db } = app.server.ctx;
    const sealed = await db
      .selectFrom('vault_versions')
      .select('sealed')
      .where('ci_id', '=', id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('vault_versions')
      .set({ sealed: sealed.sealed })
      .where('ci_id', '=', other)
      .execute();
    const moved = await reveal(other, rita);
    expect(moved.statusCode).toBe(500);
    await app.server.sealer.kick();
    const bodies = [
      bad.body,
      tooLong.body,
      forbidden.body,
      moved.body,
      (await app.as(rita).get('/api/v1/vault')).body,
      (await app.as(rita).get(`/api/v1/vault/${id}`)).body,
      (await admin().get('/api/v1/cis?limit=200')).body,
      (await admin().get(`/api/v1/cis/${id}`)).body,
      (await admin().get('/api/v1/cis/export.csv')).body,
      (await admin().get('/api/v1/audit?limit=200')).body,
      JSON.stringify(await db.selectFrom('audit_log').selectAll().execute()),
      JSON.stringify(await db.selectFrom('vault_versions').selectAll().execute()),
      JSON.stringify(await db.selectFrom('vault_reveals').selectAll().execute()),
      logs.join('\n'),
    ];
    expect(logs.length).toBeGreaterThan(10);
    for (const b of bodies) expect(b).not.toContain(planted);
    // ...and the reveals of it were audited (by version and reason only).
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['ci.created', 'vault.secret_set']);
  });
});
