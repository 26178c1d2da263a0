import { AuditPage, AuditQuery, AuditVerification } from '../../../contracts/index.js';
import { type ChainKeys, listAudit, verifyChain } from '../../platform/audit/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { can } from '../../platform/permissions.js';
import type { Deps } from '../deps.js';

/** What the audit routes need besides {@link Deps}: the chain key and the server's checkpoint file. */
export interface AuditChainDeps {
  keys: ChainKeys;
  checkpointFile: string;
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
        response: { 200: AuditPage },
      },
    },
    async (req) => {
      can(actorOf(req), 'audit:read');
      return listAudit(ctx, req.query);
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
