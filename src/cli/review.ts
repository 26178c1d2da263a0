import type { Command } from 'commander';
import {
  type ReviewCampaign,
  type ReviewCampaignList,
  type ReviewItem,
  type ReviewItemPage,
  ReviewKind,
} from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson, saveOrPrint } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How `show` names a holding: the first characters of its id, enough to tell it apart. */
const SHORT = 8;

/** A campaign by id or by its name (as people know it), among those the caller takes part in. */
async function findCampaign(api: ApiClient, ref: string): Promise<ReviewCampaign> {
  if (UUID.test(ref)) return api.request<ReviewCampaign>('GET', `/api/v1/reviews/${ref}`);
  const { items } = await api.request<ReviewCampaignList>('GET', '/api/v1/reviews');
  const named = items.filter((c) => c.name.toLowerCase() === ref.trim().toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new CliError(
      `${named.length} access reviews are called “${ref}”: give the id (steward review list)`,
      2,
    );
  throw new CliError(`there is no access review “${ref}” that you take part in (steward review list)`);
}

/** Every holding of a campaign the query keeps, page after page. */
async function allItems(api: ApiClient, id: string, query: string): Promise<ReviewItem[]> {
  const all: ReviewItem[] = [];
  let cursor: string | null = null;
  do {
    const q = `limit=200&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: ReviewItemPage = await api.request<ReviewItemPage>('GET', `/api/v1/reviews/${id}/items?${q}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** A holding by its id or the start of it (as `show` prints it), among the campaign's undecided ones. */
async function findItem(api: ApiClient, campaign: ReviewCampaign, ref: string): Promise<ReviewItem> {
  const r = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{6,36}$/.test(r))
    throw new CliError(`“${ref}” is not a holding: give the code that “steward review show” prints`, 2);
  const matches = (await allItems(api, campaign.id, '')).filter((i) => i.id.startsWith(r));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new CliError(`“${ref}” names ${matches.length} holdings: give more of it`, 2);
  throw new CliError(`there is no holding ${ref} in “${campaign.name}”`);
}

const progress = (c: ReviewCampaign) =>
  `${c.status}, due ${c.due}: ${c.confirmed} kept, ${c.revoked} revoked, ${c.pending} open of ${c.total}` +
  (c.mine ? `; ${c.mine} yours to decide` : '');

/** `steward review list|show|start|decide|close|export`: access reviews through the API. */
export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('access reviews (through the API: --server, --token)');
  withServerOptions(review.command('list').description('the access reviews you take part in'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<ReviewCampaignList>('GET', '/api/v1/reviews');
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no access reviews');
      else for (const c of items) out(`${c.name}  (${progress(c)})`);
    });
  withServerOptions(
    review
      .command('show')
      .description('a review and its open holdings (all of them with --all)')
      .argument('<review>', 'its name or id'),
  )
    .option('--all', 'decided holdings too')
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts & { all?: boolean }) => {
      const api = clientFrom(opts);
      const c = await findCampaign(api, ref);
      const items = await allItems(api, c.id, opts.all ? '' : 'pending=true');
      if (opts.json) return outJson({ ...c, items });
      out(`${c.name}  (${progress(c)})`);
      out(
        `  started by ${c.startedBy} ${c.startedAt}${c.closedBy ? `; closed by ${c.closedBy} ${c.closedAt}` : ''}`,
      );
      if (items.length === 0) out(opts.all ? '  no holdings' : '  nothing left to decide');
      for (const i of items) {
        const state = i.decision
          ? `${i.decision === 'confirm' ? 'kept' : 'revoked'} by ${i.decidedBy}${i.comment ? ` (${i.comment})` : ''}`
          : i.canDecide
            ? 'open, yours to decide'
            : 'open';
        out(`  ${i.id.slice(0, SHORT)}  ${i.holder}: ${i.holding}  [${state}]`);
      }
    });
  withServerOptions(review.command('start').description('start an access review (admins)'))
    .requiredOption('--name <name>', 'what people will call it')
    .requiredOption('--due <date>', 'by when, YYYY-MM-DD')
    .option('--scope <kinds...>', `what it covers (${ReviewKind.options.join(', ')})`, [
      ...ReviewKind.options,
    ])
    .action(async (opts: Opts & { name: string; due: string; scope: string[] }) => {
      for (const k of opts.scope)
        if (!(ReviewKind.options as readonly string[]).includes(k))
          throw new CliError(`--scope: one or more of ${ReviewKind.options.join(', ')}`, 2);
      const c = await clientFrom(opts).request<ReviewCampaign>('POST', '/api/v1/reviews', {
        name: opts.name,
        due: opts.due,
        scope: opts.scope,
      });
      out(`${c.name} started: ${c.total} holdings to review`);
    });
  withServerOptions(
    review
      .command('decide')
      .description('keep or revoke a holding (a revocation is applied at once)')
      .argument('<review>', 'its name or id')
      .argument('<holding>', 'the code “steward review show” prints')
      .argument('<decision>', 'keep or revoke'),
  )
    .requiredOption('--reason <text>', 'why (kept as evidence)')
    .action(async (ref: string, holding: string, decision: string, opts: Opts & { reason: string }) => {
      if (decision !== 'keep' && decision !== 'revoke') throw new CliError('decision: keep or revoke', 2);
      if (!opts.reason.trim()) throw new CliError('--reason: say why', 2);
      const api = clientFrom(opts);
      const c = await findCampaign(api, ref);
      const item = await findItem(api, c, holding);
      const done = await api.request<ReviewItem>(
        'POST',
        `/api/v1/reviews/${c.id}/items/${item.id}/decision`,
        {
          decision: decision === 'keep' ? 'confirm' : 'revoke',
          comment: opts.reason,
        },
      );
      out(
        `${done.holder}: ${done.holding} ${decision === 'keep' ? 'kept' : 'revoked'}${done.outcome ? ` (${done.outcome})` : ''}`,
      );
    });
  withServerOptions(
    review
      .command('close')
      .description('close a review: its result is kept as evidence (admins)')
      .argument('<review>'),
  ).action(async (ref: string, opts: Opts) => {
    const api = clientFrom(opts);
    const c = await findCampaign(api, ref);
    const closed = await api.request<ReviewCampaign>('POST', `/api/v1/reviews/${c.id}/close`);
    out(`${closed.name} closed (${progress(closed)}); evidence SHA-256 ${closed.evidenceSha256}`);
  });
  withServerOptions(
    review.command('export').description('the evidence of a closed review (admins)').argument('<review>'),
  )
    .option('--format <format>', 'csv or json', 'csv')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (ref: string, opts: Opts & { format: string; output?: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'json') throw new CliError('--format: csv or json', 2);
      const api = clientFrom(opts);
      const c = await findCampaign(api, ref);
      const body = await api.download(`/api/v1/reviews/${c.id}/evidence?format=${opts.format}`);
      saveOrPrint(body, opts.output);
    });
}
