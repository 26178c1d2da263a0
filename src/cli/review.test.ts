import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCliServer } from '../../test/support/cli-api.js';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';

/** `steward review …` and `steward incident evidence …` through a real server process. */
describe('steward review and steward incident evidence', () => {
  const steward = useCliServer();
  let dir: string;
  const cli = (...args: string[]) => runCli(args, steward.env);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-review-cli-'));
  }, SLOW_CLI_MS);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'runs an access review to completion: list, show, decide with a reason, close, export',
    async () => {
      const tom = await steward.api('POST', '/api/v1/users', {
        email: 'tom@example.com',
        name: 'Tom Agent',
        role: 'agent',
        password: 'correct horse battery staple 42',
        teamIds: [],
      });
      await steward.api('POST', '/api/v1/teams', { name: 'Network team', memberIds: [tom.id] });
      const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const started = await cli(
        'review',
        'start',
        '--name',
        'Q4 review',
        '--due',
        due,
        // team memberships only: the admin running the CLI holds a role and may not decide their own
        '--scope',
        'team',
      );
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toMatch(/Q4 review started: \d+ holdings/);
      expect((await cli('review', 'start', '--name', 'x', '--due', due, '--scope', 'keys')).stderr).toContain(
        '--scope: one or more of team, role, credential',
      );
      expect((await cli('review', 'list')).stdout).toMatch(/Q4 review {2}\(open, due .*yours to decide\)/);

      const shown = await cli('review', 'show', 'q4 REVIEW');
      expect(shown.code, shown.stderr).toBe(0);
      const membership =
        /^ {2}([0-9a-f]{8}) {2}Tom Agent: member of Network team {2}\[open, yours to decide\]$/m.exec(
          shown.stdout,
        );
      expect(membership, shown.stdout).not.toBeNull();
      const code = membership![1]!;
      // bad input: a decision that is neither, no reason, a code that names nothing, a review that is not there
      const maybe = await cli('review', 'decide', 'Q4 review', code, 'maybe', '--reason', 'x');
      expect([maybe.code, maybe.stderr]).toEqual([2, 'steward: decision: keep or revoke\n']);
      expect((await cli('review', 'decide', 'Q4 review', code, 'revoke')).stderr).toContain('--reason');
      expect((await cli('review', 'decide', 'Q4 review', 'zz', 'keep', '--reason', 'x')).code).toBe(2);
      expect(
        (await cli('review', 'decide', 'Q4 review', 'abcdef12', 'keep', '--reason', 'x')).stderr,
      ).toContain('there is no holding abcdef12 in “Q4 review”');
      expect((await cli('review', 'show', 'Q3 review')).stderr).toContain(
        'there is no access review “Q3 review” that you take part in',
      );
      const revoked = await cli(
        'review',
        'decide',
        'Q4 review',
        code,
        'revoke',
        '--reason',
        'moved to sales',
      );
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain('Tom Agent: member of Network team revoked');
      // the revocation is applied: Tom is out of the team
      const teams = await steward.api<{
        items: { name: string; memberIds?: string[]; members?: { id: string }[] }[];
      }>('GET', '/api/v1/teams');
      const network = teams.items.find((t) => t.name === 'Network team')!;
      expect(JSON.stringify(network)).not.toContain(tom.id);
      // a decision is made once
      expect((await cli('review', 'decide', 'Q4 review', code, 'keep', '--reason', 'x')).code).toBe(1);

      // closing needs every holding decided: keep the rest
      const open = JSON.parse((await cli('review', 'show', 'Q4 review', '--json')).stdout) as {
        items: { id: string }[];
      };
      for (const i of open.items) {
        const kept = await cli('review', 'decide', 'Q4 review', i.id, 'keep', '--reason', 'still needed');
        expect(kept.code, kept.stderr).toBe(0);
      }
      expect((await cli('review', 'show', 'Q4 review')).stdout).toContain('nothing left to decide');
      const all = await cli('review', 'show', 'Q4 review', '--all');
      expect(all.stdout).toContain('[revoked by admin@example.com (moved to sales)]');
      const closed = await cli('review', 'close', 'Q4 review');
      expect(closed.code, closed.stderr).toBe(0);
      expect(closed.stdout).toMatch(
        /Q4 review closed \(closed, .*1 revoked.*\); evidence SHA-256 [0-9a-f]{64}/,
      );
      const csv = await cli('review', 'export', 'Q4 review');
      expect(csv.stdout.split('\r\n')[0]).toBe(
        'kind,holder,holding,decision,decided by,decided at,comment,outcome',
      );
      expect(csv.stdout).toContain('moved to sales');
      const file = join(dir, 'evidence.json');
      expect((await cli('review', 'export', 'Q4 review', '--format', 'json', '-o', file)).stdout).toBe(
        `wrote ${file}\n`,
      );
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect((await cli('review', 'export', 'Q4 review', '--format', 'pdf')).stderr).toBe(
        'steward: --format: csv or json\n',
      );
    },
    3 * SLOW_CLI_MS,
  );

  it(
    'adds evidence to a security incident by its key, lists it with its chain, exports the timeline',
    async () => {
      const t = await steward.api<{ id: string; key: string }>('POST', '/api/v1/tickets', {
        type: 'incident',
        title: 'Phishing mail',
      });
      await steward.api('PUT', `/api/v1/tickets/${t.id}/security`, { security: true });
      const hash = 'ab'.repeat(32);
      const added = await cli(
        'incident',
        'evidence',
        'add',
        t.key,
        '--note',
        'Mail headers saved',
        '--sha256',
        hash,
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toBe(`${t.key}: evidence #1 added (sha256 ${hash})\n`);
      const log = join(dir, 'firewall.log');
      writeFileSync(log, 'DROP 10.0.0.7\n');
      const sha = createHash('sha256').update('DROP 10.0.0.7\n').digest('hex');
      const byFile = await cli(
        'incident',
        'evidence',
        'add',
        t.key.toLowerCase(),
        '--note',
        'Firewall log',
        '--file',
        log,
      );
      expect(byFile.stdout).toBe(`${t.key}: evidence #2 added (sha256 ${sha})\n`);
      // bad input
      const both = await cli(
        'incident',
        'evidence',
        'add',
        t.key,
        '--note',
        'x',
        '--sha256',
        hash,
        '--file',
        log,
      );
      expect([both.code, both.stderr]).toEqual([2, 'steward: give --sha256 or --file, not both\n']);
      const badHash = await cli('incident', 'evidence', 'add', t.key, '--note', 'x', '--sha256', 'nothex');
      expect(badHash.code).toBe(1);
      expect(badHash.stderr).toContain('SHA-256');
      expect(
        (await cli('incident', 'evidence', 'add', t.key, '--note', 'x', '--file', join(dir, 'gone'))).code,
      ).toBe(2);
      expect((await cli('incident', 'evidence', 'list', 'phishing')).stderr).toContain(
        '“phishing” is neither a ticket key (INC-42) nor an id',
      );
      expect((await cli('incident', 'evidence', 'list', 'INC-99999')).stderr).toContain(
        'there is no ticket INC-99999 that you may see',
      );

      const listed = await cli('incident', 'evidence', 'list', t.key);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(
        new RegExp(`^#1 .* ${steward.srv.adminEmail}: Mail headers saved {2}sha256 ${hash}$`, 'm'),
      );
      expect(listed.stdout).toContain(`Firewall log (file firewall.log, 14 bytes)  sha256 ${sha}`);
      expect(listed.stdout).toContain('hash chain intact');
      const csv = await cli('incident', 'evidence', 'export', t.key);
      expect(csv.stdout.split('\r\n')[0]).toBe('at,by,kind,what,sha256');
      expect(csv.stdout).toContain(sha);
      const file = join(dir, 'timeline.json');
      expect((await cli('incident', 'evidence', 'export', t.key, '--format', 'json', '-o', file)).code).toBe(
        0,
      );
      expect(readFileSync(file, 'utf8')).toContain('Mail headers saved');
    },
    SLOW_CLI_MS,
  );
});
