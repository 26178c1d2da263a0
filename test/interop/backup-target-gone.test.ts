/**
 * A storage target that goes away (issue 22, item 9), for real: a Steward server process, this machine enrolled
 * with `steward agent enrol` and `steward agent run` backing it up every two seconds to a folder on the server.
 * The folder disappears (as an unmounted disk would): the agent's runs fail and are reported with what is now
 * at risk, and one incident opens about the device. The folder comes back: the next run succeeds and the
 * incident is resolved, saying why.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../support/agent-fleet.js';

interface Status {
  state: string;
  lastRunStatus: string | null;
  changedFiles: number | null;
  incident: { id: string; key: string; reason: string } | null;
  runs: { status: string; error: string | null; startedAt: string }[];
}

describe('a storage target that goes away and comes back', () => {
  let fleet: Fleet;

  /** Polls the device's status until `done` holds (or fails the test with the agent's log). */
  const until = (ciId: string, what: string, done: (s: Status) => boolean): Promise<Status> =>
    fleet.until(
      what,
      async () => {
        const s = (await fleet.api('GET', `/api/v1/backup/status/${ciId}`)).json as unknown as Status;
        return done(s) ? s : undefined;
      },
      120_000,
    );

  beforeAll(async () => {
    fleet = await startFleet('target gone');
  }, 300_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('fails the runs, opens one incident, and resolves it when the folder is back', async () => {
    const { api, dir } = fleet;
    const src = join(dir, 'home', 'rita');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'budget.ods'), 'numbers\n');
    const { ciId, config } = await fleet.enrolThisMachine('gone');
    const store = join(dir, 'store');
    await fleet.backUp(
      ciId,
      {
        name: 'Every two seconds (test)',
        schedule: { kind: 'cron', cron: '*/2 * * * * *', timeZone: 'UTC' },
        paths: { linux: [src] },
        retention: { last: 10 },
        rpoMinutes: 60,
      },
      store,
    );
    const agent = fleet.startAgent(config, ['--json', '--backup-check', '1']);
    await until(ciId, 'a first good backup', (s) => s.lastRunStatus === 'succeeded');

    // The folder goes away; the work done since is at risk.
    renameSync(store, join(dir, 'store-unplugged'));
    writeFileSync(join(src, 'budget.ods'), 'new numbers\n');
    const broken = await until(ciId, 'an incident', (s) => s.incident !== null);
    expect(broken.incident?.reason).toBe('failing');
    expect(broken.runs[0]).toMatchObject({ status: 'failed' });
    expect(broken.runs[0]!.error).toBeTruthy();
    expect(broken.changedFiles).toBe(1);
    const tickets = (await api('GET', `/api/v1/cis/${ciId}/tickets`)).json.items as {
      id: string;
      key: string;
      title: string;
      status: string;
    }[];
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ key: broken.incident!.key, status: 'new' });
    expect(tickets[0]!.title).toMatch(/^Backups of .+ failed 3 times in a row$/);

    // More failures do not make another incident.
    const failedSoFar = broken.runs.filter((r) => r.status === 'failed').length;
    await until(
      ciId,
      'more failures',
      (s) => s.runs.filter((r) => r.status === 'failed').length > failedSoFar,
    );
    expect((await api('GET', `/api/v1/cis/${ciId}/tickets`)).json.items).toHaveLength(1);

    // The folder is back (anything made in its place while it was gone is not it).
    rmSync(store, { recursive: true, force: true });
    renameSync(join(dir, 'store-unplugged'), store);
    const healed = await until(
      ciId,
      'a good backup and the incident resolved',
      (s) => s.lastRunStatus === 'succeeded' && s.incident === null,
    );
    expect(healed.state).toBe('ok');
    agent.child.kill('SIGTERM');
    const incident = (await api('GET', `/api/v1/tickets/${tickets[0]!.id}`)).json;
    expect(incident.status).toBe('resolved');
    const timeline = (await api('GET', `/api/v1/tickets/${tickets[0]!.id}/timeline`)).json.items as {
      comment: { body: string } | null;
    }[];
    expect(timeline.map((t) => t.comment?.body ?? '').join('\n')).toMatch(/are healthy again/);
  }, 400_000);
});
