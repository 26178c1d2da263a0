import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type Article,
  ArticleAudience,
  ArticleKind,
  type ArticleDiff,
  type ArticleSummary,
  type ArticleVersionInfo,
  type CampaignProgress,
} from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^KB-[1-9]\d{0,8}$/i;

/** An article by id or key (KB-12): authors find drafts too, readers what is published for them. */
async function findArticle(api: ApiClient, ref: string): Promise<Article> {
  if (UUID.test(ref)) return api.request<Article>('GET', `/api/v1/kb/articles/${ref}`);
  if (!KEY.test(ref)) throw new CliError(`“${ref}” is neither an article key (KB-12) nor an id`, 2);
  const key = encodeURIComponent(ref.toUpperCase());
  const find = (scope: string) =>
    api.request<{ items: ArticleSummary[] }>('GET', `/api/v1/kb/articles?key=${key}&scope=${scope}`);
  const { items } = await find('working').catch(() => find('published'));
  if (!items[0]) throw new CliError(`there is no article ${ref.toUpperCase()}`);
  return api.request<Article>('GET', `/api/v1/kb/articles/${items[0].id}`);
}

function oneOf<T extends string>(what: string, values: readonly T[], v: string): T {
  if ((values as readonly string[]).includes(v)) return v as T;
  throw new CliError(`${what}: one of ${values.join(', ')}`, 2);
}

/** The article as text for a terminal: state, the text shown, the review and the caller's acknowledgement. */
function show(a: Article): void {
  const text = a.working ?? a.published;
  out(`${a.key} ${text?.title ?? '(no text)'}`);
  out(`  ${a.kind.replace('_', ' ')}, ${a.status.replace('_', ' ')}; for ${a.teamName ?? a.audience}`);
  if (a.ownerName) out(`  owner: ${a.ownerName}`);
  if (a.published) out(`  published: version ${a.published.version}`);
  if (a.working) out(`  newest: version ${a.working.version}`);
  if (a.review) {
    const r = a.review;
    out(`  review of version ${r.version}: ${r.rule.replace('_', ' ')} (${r.required} needed), ${r.status}`);
    for (const v of r.votes) out(`    ${v.by}: ${v.decision}${v.reason ? ` (${v.reason})` : ''}`);
  }
  if (a.acknowledgement?.required)
    out(
      `  acknowledgement: ${a.acknowledgement.acknowledgedAt ? `given ${a.acknowledgement.acknowledgedAt}` : 'required of you'}`,
    );
  if (text) out(`\n${text.body}${text.workaround ? `\n\nWorkaround:\n${text.workaround}` : ''}`);
}

/** `steward kb ...`: the knowledge base through the API. */
export function registerKbCommands(program: Command): void {
  const kb = program.command('kb').description('knowledge base (through the API: --server, --token)');
  withServerOptions(kb.command('list').description('list or search articles'))
    .option('--search <words>', 'full-text search')
    .option('--kind <kind>', `only this kind (${ArticleKind.options.join(', ')})`)
    .option('--working', 'every article in any state (authors)')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { search?: string; kind?: string; working?: boolean }) => {
      const q = new URLSearchParams({ limit: '200', scope: opts.working ? 'working' : 'published' });
      if (opts.search) q.set('q', opts.search);
      if (opts.kind) q.set('kind', oneOf('--kind', ArticleKind.options, opts.kind));
      const { items } = await clientFrom(opts).request<{ items: ArticleSummary[] }>(
        'GET',
        `/api/v1/kb/articles?${q.toString()}`,
      );
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no articles');
      else for (const a of items) out(`${a.key}  ${a.kind}  ${a.status}  ${a.title}`);
    });
  withServerOptions(kb.command('show').description('show an article').argument('<article>', 'KB-12 or id'))
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const a = await findArticle(clientFrom(opts), ref);
      if (opts.json) outJson(a);
      else show(a);
    });
  withServerOptions(kb.command('create').description('write a new article (a draft)'))
    .requiredOption('--kind <kind>', ArticleKind.options.join(', '))
    .requiredOption('--title <title>', 'title')
    .option('--body <markdown>', 'the text, Markdown')
    .option('--body-file <path>', 'read the text from a file')
    .option('--workaround <markdown>', 'a known error’s workaround')
    .option('--audience <audience>', ArticleAudience.options.join(', '), 'agents')
    .option('--team <id>', 'the team, for the team audience')
    .option('--tag <tag...>', 'tags')
    .option('--json', 'JSON output')
    .action(
      async (
        opts: Opts & {
          kind: string;
          title: string;
          body?: string;
          bodyFile?: string;
          workaround?: string;
          audience: string;
          team?: string;
          tag?: string[];
        },
      ) => {
        const body = opts.bodyFile ? readFileSync(opts.bodyFile, 'utf8') : (opts.body ?? '');
        const a = await clientFrom(opts).request<Article>('POST', '/api/v1/kb/articles', {
          kind: oneOf('--kind', ArticleKind.options, opts.kind),
          title: opts.title,
          body,
          audience: oneOf('--audience', ArticleAudience.options, opts.audience),
          ...(opts.workaround ? { workaround: opts.workaround } : {}),
          ...(opts.team ? { teamId: opts.team } : {}),
          ...(opts.tag ? { tags: opts.tag } : {}),
        });
        if (opts.json) outJson(a);
        else out(`${a.key} written (draft)`);
      },
    );
  const moves = [
    ['submit', 'in_review', 'ask for review'],
    ['withdraw', 'draft', 'take back to draft'],
    ['publish', 'published', 'publish the approved version'],
    ['retire', 'retired', 'retire for good'],
  ] as const;
  for (const [name, to, what] of moves)
    withServerOptions(kb.command(name).description(what).argument('<article>', 'KB-12 or id')).action(
      async (ref: string, opts: Opts) => {
        const api = clientFrom(opts);
        const a = await findArticle(api, ref);
        const after = await api.request<Article>('POST', `/api/v1/kb/articles/${a.id}/transitions`, { to });
        out(`${after.key} is ${after.status.replace('_', ' ')}`);
      },
    );
  for (const decision of ['approve', 'reject'] as const)
    withServerOptions(
      kb
        .command(decision)
        .description(`${decision} the version in review`)
        .argument('<article>', 'KB-12 or id'),
    )
      .option('--reason <text>', decision === 'reject' ? 'why (required)' : 'a note')
      .action(async (ref: string, opts: Opts & { reason?: string }) => {
        const api = clientFrom(opts);
        const a = await findArticle(api, ref);
        const after = await api.request<Article>('POST', `/api/v1/kb/articles/${a.id}/approvals`, {
          decision,
          reason: opts.reason ?? '',
        });
        out(`${after.key} is ${after.status.replace('_', ' ')}`);
      });
  withServerOptions(kb.command('versions').description('every version, who and when').argument('<article>'))
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const api = clientFrom(opts);
      const a = await findArticle(api, ref);
      const { items } = await api.request<{ items: ArticleVersionInfo[] }>(
        'GET',
        `/api/v1/kb/articles/${a.id}/versions`,
      );
      if (opts.json) outJson(items);
      else
        for (const v of items)
          out(`v${v.version}  ${v.at}  ${v.author}${v.published ? '  (published)' : ''}  ${v.title}`);
    });
  withServerOptions(
    kb
      .command('diff')
      .description('the line diff between two versions')
      .argument('<article>')
      .argument('<from>')
      .argument('<to>'),
  ).action(async (ref: string, from: string, to: string, opts: Opts) => {
    const api = clientFrom(opts);
    const a = await findArticle(api, ref);
    const d = await api.request<ArticleDiff>(
      'GET',
      `/api/v1/kb/articles/${a.id}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    for (const l of d.lines) out(`${l.op === 'add' ? '+' : l.op === 'del' ? '-' : ' '} ${l.text}`);
  });
  withServerOptions(
    kb.command('acknowledge').description('acknowledge a published policy').argument('<article>'),
  ).action(async (ref: string, opts: Opts) => {
    const api = clientFrom(opts);
    const a = await findArticle(api, ref);
    await api.request<Article>('POST', `/api/v1/kb/articles/${a.id}/acknowledgements`);
    out(`${a.key} acknowledged`);
  });
  withServerOptions(
    kb.command('campaign').description('ask people to acknowledge a published policy').argument('<article>'),
  )
    .option('--everyone', 'every active user')
    .option('--role <role>', 'everyone of a role')
    .option('--team <id>', 'a team’s members')
    .option('--due <date>', 'by when, YYYY-MM-DD')
    .action(
      async (
        ref: string,
        opts: Opts & { everyone?: boolean; role?: string; team?: string; due?: string },
      ) => {
        const targets = [opts.everyone, opts.role, opts.team].filter(Boolean).length;
        if (targets !== 1) throw new CliError('name one of --everyone, --role or --team', 2);
        const api = clientFrom(opts);
        const a = await findArticle(api, ref);
        const p = await api.request<CampaignProgress>('PUT', `/api/v1/kb/articles/${a.id}/campaign`, {
          target: opts.everyone ? 'everyone' : opts.role ? 'role' : 'team',
          ...(opts.role ? { role: opts.role } : {}),
          ...(opts.team ? { teamId: opts.team } : {}),
          ...(opts.due ? { dueOn: opts.due } : {}),
        });
        out(`${a.key}: ${p.total} people asked`);
      },
    );
  withServerOptions(
    kb.command('progress').description('who has and has not acknowledged a policy').argument('<article>'),
  )
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const api = clientFrom(opts);
      const a = await findArticle(api, ref);
      const p = await api.request<CampaignProgress>('GET', `/api/v1/kb/articles/${a.id}/campaign`);
      if (opts.json) return outJson(p);
      out(`${a.key}: ${p.acknowledged.length} of ${p.total} acknowledged version ${p.version}`);
      for (const x of p.pending) out(`  pending: ${x.name}`);
    });
}
