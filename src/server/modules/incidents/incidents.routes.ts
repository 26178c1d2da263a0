import {
  AddEvidence,
  EvidenceEntry,
  EvidenceLog,
  IdParams,
  Problem,
  SetSecurity,
  Ticket,
  TimelineExportQuery,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { csvRow } from '../../platform/csv.js';
import { setSecurityFlag } from '../tickets/index.js';
import { addEvidence, evidenceLog, securityTimeline } from './incidents.service.js';

const tags = ['security incidents'];
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };

/** Security incidents' routes: the flag, the evidence log and the timeline export. */
export function incidentsRoutes(app: App, ctx: Ctx): void {
  app.put(
    '/api/v1/tickets/:id/security',
    {
      schema: {
        tags,
        summary: 'Mark a ticket a security incident, or not (admins and security teams)',
        params: IdParams,
        body: SetSecurity,
        response: { 200: Ticket, ...errors },
      },
    },
    async (req) => setSecurityFlag(ctx, actorOf(req), req.params.id, req.body.security),
  );
  app.get(
    '/api/v1/tickets/:id/evidence',
    {
      schema: {
        tags,
        summary: 'A security incident’s evidence log, and whether its hash chain is intact',
        params: IdParams,
        response: { 200: EvidenceLog, ...errors },
      },
    },
    async (req) => evidenceLog(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/tickets/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Append to a security incident’s evidence log',
        params: IdParams,
        body: AddEvidence,
        response: { 201: EvidenceEntry, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await addEvidence(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/tickets/:id/security-timeline',
    {
      schema: {
        tags,
        summary: 'A security incident’s timeline with its evidence, as JSON or CSV',
        params: IdParams,
        querystring: TimelineExportQuery,
      },
    },
    async (req, reply) => {
      const t = await securityTimeline(ctx, actorOf(req), req.params.id);
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'json') return reply.send(t);
      const rows = t.lines.map((l) => csvRow([l.at, l.by, l.kind, l.what, l.sha256]));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${t.ticket.key}-timeline.csv"`)
        .send(csvRow(['at', 'by', 'kind', 'what', 'sha256']) + rows.join(''));
    },
  );
}
