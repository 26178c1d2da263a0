import { type AuditEntry, AuditLogPage, AuditQuery, AuditVerification } from '../../../contracts/index.js';
import { type ChainKeys, listAudit, verifyChain } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { can } from '../../platform/permissions.js';
import type { Deps } from '../deps.js';

/** What people call each of `ids` that names something (a person, team, ticket, item), by id. */
export type NameIds = (db: Db, ids: readonly string[]) => Promise<Map<string, string>>;

/**
 * What the audit routes need besides {@link Deps}: the chain key, the server's checkpoint file, and how to name
 * the ids a page mentions (wired in main.ts from the modules that own those names).
 */
export interface AuditChainDeps {
  keys: ChainKeys;
  checkpointFile: string;
  names?: NameIds;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids an entry mentions: its actor, its entity, and the id values among its fields (also in lists). */
export function idsOf(e: AuditEntry): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && UUID.test(v)) out.push(v);
    else if (Array.isArray(v))
      for (const x of v.slice(0, 50)) if (typeof x === 'string' && UUID.test(x)) out.push(x);
  };
  add(e.actorId);
  add(e.entityId);
  for (const values of [e.before, e.after]) for (const v of Object.values(values ?? {})) add(v);
  return out;
}

/** /api/v1/audit: browse and verify the audit trail. */
export function auditRoutes(app: App, { ctx }: Deps, chain: AuditChainDeps): void {
  const tags = ['audit'];
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags,
        summary: 'Browse the audit trail, newest first',
        querystring: AuditQuery,
        response: { 200: AuditLogPage },
      },
    },
    async (req) => {
      can(actorOf(req), 'audit:read');
      const page = await listAudit(ctx, req.query);
      const ids = [...new Set(page.items.flatMap(idsOf))];
      const names =
        chain.names && ids.length > 0 ? await chain.names(ctx.db, ids) : new Map<string, string>();
      return { ...page, names: Object.fromEntries(names) };
    },
  );
  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags,
        summary: "Verify the hash chain, and compare it with the server's checkpoint file",
        response: { 200: AuditVerification },
      },
    },
    async (req) => {
      can(actorOf(req), 'audit:read');
      return verifyChain(ctx.db, chain.keys, { checkpoints: { file: chain.checkpointFile, optional: true } });
    },
  );
}
