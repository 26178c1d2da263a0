/**
 * Explicit wiring of background jobs: every module returns its job types and schedules from a factory, main.ts
 * hands them to the runner (none is registered at import), and services that queue a job themselves pass its
 * definition, so its attempts and payload check apply.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../test/support/api.js';
import { queueMail } from './modules/mail/index.js';
import { JobRunner } from './platform/jobs/index.js';

describe('job wiring', () => {
  let app: TestApp;
  beforeAll(async () => {
    // An SMTP server nobody listens on: mail is queued, never sent (no runner runs here).
    app = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_SMTP_HOST: '127.0.0.1',
      STEWARD_SMTP_PORT: '9',
      STEWARD_SMTP_SECURITY: 'none',
    });
  });
  afterAll(async () => app.close());

  it("hands every module's jobs to the runner, which stores their schedules", async () => {
    const { types, schedules } = app.server.jobSet;
    expect(types.map((t) => t.name).sort()).toEqual([
      'audit.checkpoint',
      'backup.upkeep',
      'backup.upkeep_run',
      'backup.watch',
      'cmdb.expiry_reminders',
      'cmdb.prune_installations',
      'compliance.collect',
      'compliance.review_reminders',
      'dr.drill_run',
      'dr.drill_schedule',
      'dr.plan_review_reminders',
      'dr.server_backup',
      'kb.reminders',
      'kpis.catch_up',
      'kpis.report_send',
      'kpis.reports_due',
      'mail.send',
      'reviews.reminders',
      'sla.escalate',
      'sla.recompute',
      'tickets.auto_close',
      'tickets.recurring',
      'users.password_reset',
      'vault.rotation_reminders',
    ]);
    expect(schedules.map((s) => s.key).sort()).toEqual([
      'audit.checkpoint',
      'backup.upkeep.check',
      'backup.upkeep.forget',
      'backup.upkeep.prune',
      'backup.watch',
      'cmdb.expiry_reminders',
      'cmdb.prune_installations',
      'compliance.collect',
      'compliance.review_reminders',
      'dr.drill_schedule',
      'dr.plan_review_reminders',
      'dr.server_backup',
      'kb.reminders',
      'kpis.catch_up',
      'kpis.reports_due',
      'reviews.reminders',
      'sla.escalate',
      'tickets.auto_close',
      'tickets.recurring',
      'vault.rotation_reminders',
    ]);
    await new JobRunner(app.server.ctx, { jobs: app.server.jobSet }).syncSchedules();
    const stored = await sql<{ key: string }>`SELECT key FROM job_schedules`.execute(app.database.db);
    expect(stored.rows.map((r) => r.key)).toEqual(expect.arrayContaining(schedules.map((s) => s.key)));
    // The same job twice is refused: two modules cannot both claim a name.
    expect(() => new JobRunner(app.server.ctx, { jobs: [app.server.jobSet, app.server.jobSet] })).toThrow(
      /already defined/,
    );
  });

  it('queues mail with the mail.send definition: its 8 attempts, not the default 5', async () => {
    await app.server.ctx.tx((db) =>
      queueMail(db, { to: 'rita@example.com', subject: 'Hello', body: 'Hi Rita', ticketId: null }),
    );
    const rows = await sql<{
      max_attempts: number;
    }>`SELECT max_attempts FROM jobs WHERE name = 'mail.send'`.execute(app.database.db);
    expect(rows.rows.map((r) => r.max_attempts)).toEqual([8]);
  });
});
