import type { Command } from 'commander';
import type { Job } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

function line(j: Job): string {
  const error = j.lastError ? `  ${j.lastError.split('\n')[0] ?? ''}` : '';
  return `${j.id}  ${j.state.padEnd(9)} ${String(j.attempts).padStart(2)}/${j.maxAttempts}  ${j.runAt}  ${j.name}${error}`;
}

/** `steward job list|retry|discard`: the background job queue, through the admin API. */
export function registerJobCommands(program: Command): void {
  const job = program
    .command('job')
    .description('inspect and manage background jobs (admins; through the API)');
  withServerOptions(job.command('list').description('list jobs, newest first'))
    .option('--state <state>', 'pending | running | succeeded | failed | discarded')
    .option('--name <name>', 'only jobs of this type')
    .option('--limit <n>', 'at most this many jobs', '100')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { state?: string; name?: string; limit: string }) => {
      const api = clientFrom(opts);
      const wanted = Math.max(1, Number.parseInt(opts.limit, 10) || 100);
      const items: Job[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: String(Math.min(200, wanted - items.length)) });
        if (opts.state) qs.set('state', opts.state);
        if (opts.name) qs.set('name', opts.name);
        if (cursor) qs.set('cursor', cursor);
        const page: { items: Job[]; nextCursor: string | null } = await api.request(
          'GET',
          `/api/v1/admin/jobs?${qs.toString()}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < wanted);
      if (opts.json) outJson(items);
      else items.forEach((j) => out(line(j)));
    });
  for (const [verb, what] of [
    ['retry', 'put a failed or discarded job back in the queue with fresh attempts'],
    ['discard', 'discard a pending or failed job so it never runs'],
  ] as const) {
    withServerOptions(job.command(verb).description(what).argument('<id>', 'job id'))
      .option('--json', 'JSON output')
      .action(async (id: string, opts: Opts) => {
        const j = await clientFrom(opts).request<Job>(
          'POST',
          `/api/v1/admin/jobs/${encodeURIComponent(id)}/${verb}`,
        );
        if (opts.json) outJson(j);
        else out(`${verb === 'retry' ? 'retried' : 'discarded'} ${line(j)}`);
      });
  }
}
