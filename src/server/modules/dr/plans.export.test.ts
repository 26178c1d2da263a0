import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { sendReviewReminders } from './index.js';

/** The text pdftotext reads from `pdf`, or undefined when it is not installed. */
async function pdftotext(pdf: Buffer): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-pdf-'));
  try {
    writeFileSync(join(dir, 'p.pdf'), pdf);
    return await new Promise((resolve) => {
      const p = spawn('pdftotext', ['-layout', join(dir, 'p.pdf'), '-'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', () => resolve(undefined));
      p.on('close', (code) => resolve(code === 0 ? out : `exit ${code}`));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('disaster-recovery plans: export and review reminders', () => {
  let app: TestApp;
  let tom: TestUser;
  let rita: TestUser;
  const admin = () => app.as(app.admin);
  const item = async (classKey: string, name: string) =>
    (await admin().post('/api/v1/cis', { classKey, name, status: 'deployed' })).json().id as string;
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const titles = async (who: TestUser) =>
    ((await app.as(who).get('/api/v1/notifications')).json().items as { title: string }[]).map(
      (n) => n.title,
    );

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    tom = await app.user('agent', { name: 'Tom Technician' });
    rita = await app.user('requester', { name: 'Rita Requester' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('exports a plan as Markdown and as a PDF that says the same', async () => {
    const svc = await item('service', 'Payroll');
    const db = await item('server', 'PAY-DB-1');
    expect(
      (await admin().post(`/api/v1/cis/${svc}/relationships`, { type: 'runs_on', toId: db })).statusCode,
    ).toBe(201);
    const created = await admin().post('/api/v1/dr/plans', {
      serviceId: svc,
      name: 'Payroll *recovery*',
      summary: 'Pay day is the **25th**.',
      rtoMinutes: 240,
      rpoMinutes: 90,
      ownerId: tom.id,
      reviewDue: '2027-03-01',
      steps: [
        {
          title: 'Restore the database',
          body: '1. Restore PAY-DB-1 from its last snapshot\n2. Run `pg_isready`',
          ownerId: tom.id,
          expectedMinutes: 45,
          items: [db],
        },
      ],
      contacts: [
        { name: 'Hosting provider', role: 'Support', phone: '+44 20 7946 0000', email: 'help@example.com' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;

    const md = await admin().get(`/api/v1/dr/plans/${id}/export.md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe('attachment; filename="dr-plan-payroll-recovery.md"');
    const text = md.body;
    expect(text).toContain('# Disaster recovery plan: Payroll \\*recovery\\*\n');
    expect(text).toContain(
      'Service: Payroll · Owner: Tom Technician · RTO 4 hours · RPO 1 hour 30 minutes · Review due 2027-03-01',
    );
    expect(text).toContain('Pay day is the **25th**.');
    expect(text).toContain('## Readiness: not ready\n\n- PAY-DB-1 has no backup snapshot.');
    expect(text).toContain(
      '1. PAY-DB-1 (Server), wave 1; no snapshot\n2. Payroll (Business or IT service), wave 2; needs PAY-DB-1',
    );
    expect(text).toContain(
      '### 1. Restore the database\n\nOwner: Tom Technician · expected 45 minutes · restores PAY-DB-1\n\n1. Restore PAY-DB-1 from its last snapshot\n2. Run `pg_isready`',
    );
    expect(text).toContain('- Hosting provider · Support · +44 20 7946 0000 · help@example.com');
    expect(text).toMatch(/> Needs verification: New plan by .*: no drill has run it yet\./);

    const pdf = await admin().get(`/api/v1/dr/plans/${id}/export.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 9).toString('latin1')).toBe('%PDF-1.4\n');
    const read = await pdftotext(pdf.rawPayload);
    if (read !== undefined) {
      const flat = read.replace(/\s+/g, ' ');
      for (const s of [
        'Disaster recovery plan: Payroll *recovery*',
        'Restore the database',
        '1. PAY-DB-1 (Server), wave 1; no snapshot',
        'Hosting provider · Support',
        'Page 1 of 1',
      ])
        expect(flat).toContain(s);
    }
    for (const path of ['export.md', 'export.pdf'])
      expect((await app.as(rita).get(`/api/v1/dr/plans/${id}/${path}`)).statusCode).toBe(404);
    expect((await app.as(tom).get(`/api/v1/dr/plans/${id}/export.md`)).statusCode).toBe(200);
  });

  it('reminds the owner (or the admins) of a review once per date', async () => {
    const svc = await item('service', 'Intranet');
    const nobody = await item('service', 'Print');
    const mine = await admin().post('/api/v1/dr/plans', {
      serviceId: svc,
      name: 'Intranet recovery',
      rtoMinutes: 60,
      rpoMinutes: 60,
      ownerId: tom.id,
      reviewDue: day(10),
    });
    expect(mine.statusCode).toBe(201);
    const later = await admin().post('/api/v1/dr/plans', {
      serviceId: nobody,
      name: 'Print recovery',
      rtoMinutes: 60,
      rpoMinutes: 60,
      reviewDue: day(60),
    });
    expect(later.statusCode).toBe(201);
    const ctx = app.server.ctx;
    const before = await sendReviewReminders(ctx); // earlier tests' plans may be due too
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await sendReviewReminders(ctx)).toBe(0);
    expect(await titles(tom)).toContain(
      `Reminder: The review of the disaster recovery plan “Intranet recovery” on ${day(10)}`,
    );
    // The print plan's review is two months away; in seven weeks it is due, and nobody owns it: the admins hear.
    expect(await sendReviewReminders(ctx, new Date(Date.now() + 50 * 86_400_000))).toBe(1);
    expect(await titles(app.admin)).toContain(
      `Reminder: The review of the disaster recovery plan “Print recovery” on ${day(60)}`,
    );
    // A new review date is reminded of again.
    const cur = await admin().get(`/api/v1/dr/plans/${mine.json().id}`);
    const moved = await admin().patch(
      `/api/v1/dr/plans/${mine.json().id}`,
      { reviewDue: day(5) },
      { 'if-match': cur.headers.etag as string },
    );
    expect(moved.statusCode).toBe(200);
    expect(await sendReviewReminders(ctx)).toBe(1);
  });
});
