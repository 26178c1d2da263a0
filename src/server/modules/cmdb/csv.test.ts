import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { CsvError, csvRow, decodeCsv, parseCsv } from '../../platform/csv.js';

describe('CSV reading and writing', () => {
  it('reads quotes, commas and line breaks inside quotes, CRLF and LF', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","line1\nline2"\n\n3,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', 'line1\nline2'] },
      { line: 5, fields: ['3', ''] },
    ]);
  });

  it('refuses malformed files, naming the line', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\nb"c')).toThrow(/line|quote/);
    try {
      parseCsv('a,b\n1,2\n"x"y,3');
    } catch (e) {
      expect((e as CsvError).line).toBe(3);
    }
  });

  it('refuses bytes that are not UTF-8, naming the line and column, instead of replacing them', () => {
    expect(decodeCsv(Buffer.from('class,name\nlaptop,Zoë\n', 'utf8'))).toBe('class,name\nlaptop,Zoë\n');
    for (const [bytes, line, column] of [
      [Buffer.from('class,name\nlaptop,Zo\xeb\n', 'latin1'), 2, 10],
      [Buffer.concat([Buffer.from('a,b\n1,2\nxé,'), Buffer.from([0xc3])]), 3, 4],
      [Buffer.from([0x61, 0xed, 0xa0, 0x80]), 1, 2], // an encoded surrogate
      [Buffer.from([0xc0, 0xaf]), 1, 1], // an overlong form
      [Buffer.from('class,name\nlaptop,a\u0000b', 'utf8'), 2, 9], // NUL: UTF-8, but not text
    ] as const) {
      try {
        decodeCsv(bytes);
        expect.unreachable(`${bytes.toString('hex')} was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(CsvError);
        expect((e as CsvError).line, bytes.toString('hex')).toBe(line);
        expect((e as CsvError).message, bytes.toString('hex')).toContain(`column ${column}`);
      }
    }
  });

  it('reads back whatever it writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 5 }), {
          minLength: 1,
          maxLength: 10,
        }),
        (rows) => {
          const safe = rows.map((r) => r.map((v) => v.replace(/^[=+\-@\t\r']/, 'x')));
          const text = safe.map((r) => csvRow(r)).join('');
          const back = parseCsv(text).map((r) => r.fields);
          const expected = safe.filter((r) => !(r.length === 1 && r[0] === ''));
          expect(back).toEqual(expected);
        },
      ),
    );
  });

  it('keeps cells that a spreadsheet would run as formulas as text', () => {
    expect(csvRow(['=HYPERLINK("x")', '+1', 'ok'])).toBe('"\'=HYPERLINK(""x"")","\'+1",ok\r\n');
  });
});

describe('CSV import and export of items', () => {
  let app: TestApp;
  let agent: TestUser;
  let team: { id: string; name: string };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    agent = await app.user('agent', { email: 'ann@example.com' });
    team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Workplace' })).json();
    await app.as(agent).post('/api/v1/cis', { classKey: 'location', name: 'HQ floor 3', assetTag: 'LOC-3' });
  });
  afterAll(async () => app.close());

  const upload = (csv: string, dryRun = false) =>
    app.as(agent).req('POST', `/api/v1/cis/import?dryRun=${dryRun}`, csv, { 'content-type': 'text/csv' });
  const count = async () => (await app.as(agent).get('/api/v1/cis?limit=200')).json().items.length;

  const good = [
    'class,asset_tag,name,serial,status,owner_email,team,location_tag,cost,warranty_end,custom',
    'laptop,LT-1,Laptop one,SN1,deployed,ann@example.com,Workplace,LOC-3,1299.00,2027-05-31,',
    'laptop,LT-2,"Laptop two, spare",SN2,in_stock,,,,,,',
    'licence,LIC-1,Office seats,,,,,,,,"{""product"":""Office"",""seats"":10}"',
  ].join('\r\n');

  it('previews an import without writing anything, then imports it in one go', async () => {
    const before = await count();
    const preview = await upload(good, true);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, created: 3, updated: 0, errors: [] });
    expect(await count()).toBe(before);
    const done = await upload(good);
    expect(done.json()).toMatchObject({ dryRun: false, created: 3 });
    expect(await count()).toBe(before + 3);
    const lt1 = (await app.as(agent).get('/api/v1/cis?q=LT-1')).json().items[0];
    expect(lt1).toMatchObject({
      status: 'deployed',
      teamId: team.id,
      ownerId: agent.id,
      cost: '1299.00',
      warrantyEnd: '2027-05-31',
    });
    // The same file again changes nothing; a changed row updates its item by asset tag.
    const again = (await upload(good)).json();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const changed = good.replace('SN2,in_stock', 'SN2,in_repair');
    expect((await upload(changed)).json()).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
  });

  it('gives a row without a status its class default: a business service is in use, a laptop in stock', async () => {
    const csv = ['class,asset_tag,name', 'service,SVC-9,Mail service', 'laptop,LT-9,Spare laptop'].join('\n');
    expect((await upload(csv)).json()).toMatchObject({ created: 2 });
    const items = (await app.as(agent).get('/api/v1/cis?limit=200')).json().items as {
      assetTag: string;
      status: string;
    }[];
    expect(items.find((i) => i.assetTag === 'SVC-9')?.status).toBe('deployed');
    expect(items.find((i) => i.assetTag === 'LT-9')?.status).toBe('in_stock');
  });

  it('reports every bad row and writes nothing when any row fails', async () => {
    const before = await count();
    const bad = [
      'class,asset_tag,name,status,owner_email,cost,custom',
      'laptop,NEW-1,Fine one,in_stock,,,',
      'laptop,NEW-2,Bad status,broken,,,',
      'spaceship,NEW-3,Unknown class,,,,',
      'laptop,NEW-4,Ghost owner,,ghost@example.com,,',
      'laptop,NEW-5,Bad money,,,12.345,',
      'licence,NEW-6,No seats,,,,"{""product"":""X""}"',
      'laptop,NEW-1,Repeated tag,,,,',
      'laptop,NEW-7,Short row',
    ].join('\n');
    const r = await upload(bad);
    expect(r.statusCode).toBe(400);
    const paths = r.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual([
      'line 3 status',
      'line 4 class',
      'line 5 owner_email',
      'line 6 cost',
      'line 7 custom.seats',
      'line 8 asset_tag',
      'line 9',
    ]);
    expect(await count()).toBe(before);
    const preview = (await upload(bad, true)).json();
    expect(preview.errors).toHaveLength(7);
    expect(preview.created).toBe(1);
    expect(await count()).toBe(before);
  });

  it('lists every problem of a row, not just the first', async () => {
    const before = await count();
    const r = await upload(
      [
        'class,asset_tag,name,status,owner_email,cost,custom',
        'laptop,MANY-1,Many problems,broken,ghost@example.com,12.345,not json',
        'laptop,MANY-1,Repeated with a ghost,,ghost@example.com,,',
      ].join('\n'),
      true,
    );
    expect(r.statusCode).toBe(200);
    const problems = r.json().errors.map((e: { line: number; column: string }) => `${e.line} ${e.column}`);
    expect(problems).toEqual([
      '2 custom',
      '2 owner_email',
      '2 status',
      '2 cost',
      '3 asset_tag',
      '3 owner_email',
    ]);
    expect(await count()).toBe(before);
    const dup = await upload(
      [
        'class,asset_tag,name,owner_email',
        'laptop,DUP-1,First,',
        'laptop,DUP-1,Second,ghost@example.com',
      ].join('\n'),
      true,
    );
    expect(dup.json().errors.map((e: { column: string }) => e.column)).toEqual(['asset_tag', 'owner_email']);
  });

  it('refuses files that are not CSV, or have the wrong header', async () => {
    expect((await upload('class,name\n"unclosed')).statusCode).toBe(400);
    const header = await upload('class,colour\nlaptop,red');
    expect(header.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'unknown column: colour',
      'missing column: name',
    ]);
    const before = await count();
    const latin1 = await app
      .as(agent)
      .req('POST', '/api/v1/cis/import', Buffer.from('class,name\nlaptop,Ren\xe9e\n', 'latin1'), {
        'content-type': 'text/csv',
      });
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().errors).toEqual([
      { path: 'line 2', message: expect.stringMatching(/not UTF-8 at column 11/) },
    ]);
    expect(await count()).toBe(before);
    const json = await app.as(agent).post('/api/v1/cis/import', { class: 'laptop' });
    expect(json.statusCode).toBe(415);
    expect(
      (
        await app
          .as(app.admin)
          .req('POST', '/api/v1/cis/import', 'class,name\n', { 'content-type': 'text/csv' })
      ).statusCode,
    ).toBe(200);
  });

  it('exports the filtered items, readable by the import', async () => {
    const r = await app.as(agent).get('/api/v1/cis/export.csv?classKey=laptop');
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(r.body);
    expect(rows[0]!.fields[0]).toBe('class');
    const lt1 = rows.find((x) => x.fields[1] === 'LT-1')!.fields;
    expect(lt1.slice(0, 3)).toEqual(['laptop', 'LT-1', 'Laptop one']);
    expect(lt1).toContain('ann@example.com');
    expect(lt1).toContain('Workplace');
    expect(lt1).toContain('LOC-3');
    // Export, then import: nothing changes.
    expect((await upload(r.body)).json()).toMatchObject({ created: 0, updated: 0 });
  });
});
