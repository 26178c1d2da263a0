import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';
import { useCliServer } from '../../test/support/cli-api.js';

describe('steward catalogue', () => {
  const cli = useCliServer();

  it(
    'lists, shows and requests an item with typed --field answers; the server refuses bad ones',
    async () => {
      const team = await cli.api('POST', '/api/v1/teams', { name: 'Hardware', memberIds: [] });
      await cli.api('POST', '/api/v1/catalogue/items', {
        name: 'New laptop',
        category: 'Hardware',
        audience: 'everyone',
        tasks: [{ title: 'Order it', teamId: team.id }],
        fields: [
          {
            key: 'device',
            label: 'Device',
            type: 'choice',
            required: true,
            choices: [
              { value: 'laptop', label: 'Laptop' },
              { value: 'tablet', label: 'Tablet' },
            ],
          },
          {
            key: 'screen',
            label: 'Screen size',
            type: 'number',
            min: 12,
            max: 17,
            showWhen: { field: 'device', equals: ['laptop'] },
          },
          {
            key: 'extras',
            label: 'Extras',
            type: 'choice',
            multiple: true,
            choices: [
              { value: 'dock', label: 'Docking station' },
              { value: 'bag', label: 'Bag' },
            ],
          },
          { key: 'quote', label: 'Quote', type: 'attachment' },
        ],
      });
      const list = await runCli(['catalogue', 'list'], cli.env);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('New laptop  [Hardware]');
      const shown = await runCli(['catalogue', 'show', 'new laptop'], cli.env);
      expect(shown.stdout).toContain(
        'screen (number) Screen size: min 12; max 17; shown when device is laptop',
      );
      expect(shown.stdout).toContain('fulfilled by: Order it (Hardware)');
      const file = join(tmpdir(), `steward-quote-${process.pid}.txt`);
      writeFileSync(file, 'one laptop, 1200 EUR');
      const ok = await runCli(
        [
          'catalogue',
          'request',
          'New laptop',
          '--field',
          'device=laptop',
          '--field',
          'screen=14',
          '--field',
          'extras=dock,bag',
          '--field',
          `quote=${file}`,
        ],
        cli.env,
      );
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^CAT-\d+ New laptop: fulfilment \(ticket REQ-\d+\)/m);
      expect(ok.stdout).toContain('Extras: Docking station, Bag');
      expect(ok.stdout).toContain(`Quote: steward-quote-${process.pid}.txt`);
      expect(ok.stdout).toContain('task 1: Order it (Hardware), open');
      const bad = await runCli(
        ['catalogue', 'request', 'New laptop', '--field', 'device=tablet', '--field', 'screen=14'],
        cli.env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('hidden');
      const unknown = await runCli(
        ['catalogue', 'request', 'New laptop', '--field', 'device=laptop', '--field', 'colour=red'],
        cli.env,
      );
      expect(unknown.stderr).toContain('no such field');
      expect((await runCli(['catalogue', 'request', 'New laptop', '--field', 'nokey'], cli.env)).code).toBe(
        2,
      );
      expect((await runCli(['catalogue', 'show', 'Spaceship'], cli.env)).stderr).toContain(
        'there is no item',
      );
      expect((await runCli(['catalogue', 'requests'], cli.env)).stdout).toMatch(
        /CAT-\d+ {2}fulfilment {2}New laptop/,
      );
      const key = /^(CAT-\d+)/m.exec(ok.stdout)![1]!;
      const noReason = await runCli(['catalogue', 'cancel', key], cli.env);
      expect(noReason.code).not.toBe(0);
      expect(noReason.stderr).toContain('--reason');
      expect((await runCli(['catalogue', 'cancel', 'laptop', '--reason', 'x'], cli.env)).stderr).toContain(
        'by its key',
      );
      expect(
        (await runCli(['catalogue', 'cancel', 'CAT-999999', '--reason', 'x'], cli.env)).stderr,
      ).toContain('there is no request CAT-999999');
      const cancelled = await runCli(
        ['catalogue', 'cancel', key.toLowerCase(), '--reason', 'Bought one myself'],
        cli.env,
      );
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.stdout).toContain(`${key} New laptop: cancelled`);
      expect(cancelled.stdout).toMatch(/cancelled by .*: Bought one myself/);
      const twice = await runCli(['catalogue', 'cancel', key, '--reason', 'again'], cli.env);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('the request is cancelled: it can no longer be cancelled');
    },
    SLOW_CLI_MS,
  );
});
