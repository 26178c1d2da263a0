import { describe, expect, it } from 'vitest';
import { useCliServer } from '../../test/support/cli-api.js';
import { runCli, SLOW_CLI_MS } from '../../test/support/server.js';

/** `steward ticket-field`, `steward template` and `steward recurring` through a real server process. */
describe('steward template', () => {
  const server = useCliServer();
  const api = server.api;
  const cli = (...args: string[]) => runCli(args, server.env);

  it(
    'lists fields and templates and opens a ticket from a template with a field set',
    async () => {
      await api('POST', '/api/v1/ticket-fields', {
        key: 'floor',
        label: 'Floor',
        kind: 'number',
        types: ['request'],
      });
      await api('POST', '/api/v1/ticket-templates', {
        name: 'Printer check',
        type: 'request',
        title: 'Check the printer',
      });
      const fields = await cli('ticket-field', 'list');
      expect(fields.stdout).toContain('floor\tFloor\tnumber');
      expect((await cli('template', 'list')).stdout).toContain('Printer check\trequest\tCheck the printer');
      const opened = await cli('template', 'open', 'printer check', '--field', 'floor=3', '--json');
      expect(opened.code, opened.stderr).toBe(0);
      const ticket = JSON.parse(opened.stdout) as { id: string; title: string };
      expect(ticket.title).toBe('Check the printer');
      const values = await api('GET', `/api/v1/tickets/${ticket.id}/fields`);
      expect((values as unknown as { items: { value: unknown }[] }).items[0]?.value).toBe(3);
      const bad = await cli('template', 'open', 'printer check', '--field', 'floor=high');
      expect(bad.code).not.toBe(0);
      expect((await cli('template', 'open', 'nope')).code).not.toBe(0);
      expect((await cli('recurring', 'list')).code).toBe(0);
    },
    SLOW_CLI_MS,
  );
});
