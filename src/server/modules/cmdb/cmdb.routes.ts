import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuditPage,
  Ci,
  CiClass,
  CiPage,
  CiQuery,
  CiRelationship,
  CiRelationshipList,
  AgentList,
  AgentReport,
  CiStatus,
  CreateEnrolmentToken,
  EnrolAgent,
  EnrolledAgent,
  EnrolmentToken,
  ReportOutcome,
  CsvImportQuery,
  CsvImportResult,
  ClassParams,
  CreateCi,
  CreateCiClass,
  CreateCiRelationship,
  IdParams,
  Impact,
  ImpactQuery,
  LicenceCompliance,
  PageQuery,
  Problem,
  SoftwareQuery,
  RelationshipParams,
  TicketList,
  UpdateCi,
  UpdateCiClass,
} from '../../../contracts/index.js';
import { PreconditionRequired, UnsupportedMedia } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import { resourceRoutes } from '../../platform/resource-routes.js';
import type { Deps } from '../deps.js';
import * as cis from './cis.service.js';
import * as classes from './classes.service.js';
import * as graph from './graph.service.js';
import * as links from './tickets.service.js';
import { licenceCompliance } from './licences.service.js';
import { exportCsv, importCsv } from './csv.service.js';
import * as discovery from './discovery.service.js';
import { ingestReport, type SourcesChanged } from './report.service.js';

/** What other modules hear from the CMDB (wired by main.ts). */
export interface CmdbHooks {
  /** A discovery report changed a computer's source packages (after its transaction committed). */
  sourcesChanged?: SourcesChanged;
  /** An item was edited or deleted by a person (inside that write's transaction). */
  itemChanged?: cis.ItemChanged;
}

/** Largest agent report, in bytes (20,000 software entries fit). */
const REPORT_MAX_BYTES = 8 * 1024 * 1024;

/** Largest CSV import, in bytes. */
const CSV_MAX_BYTES = 20 * 1024 * 1024;

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();
const Deleted = z.null().describe('Deleted');
const OpenQuery = z.strictObject({ open: z.enum(['true', 'false']).optional() });
const LinkItem = z.strictObject({ ciId: z.uuid() });
const TicketItemParams = z.strictObject({ id: z.uuid(), ciId: z.uuid() });
const TicketItems = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      classKey: z.string(),
      status: CiStatus,
      assetTag: z.string().nullable(),
    }),
  ),
});

/** The CMDB API: classes (admins edit), items, their relationships, impact analysis and history. */
export async function cmdbRoutes(app: App, { ctx }: Deps, hooks: CmdbHooks = {}): Promise<void> {
  const tags = ['cmdb'];
  await app.register((plain, _opts, done) => {
    // A scope of its own: the CSV body parser applies to the import only (JSON everywhere else).
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      ['text/csv', 'text/plain'],
      // Bytes, not a string: the import decodes them and refuses what is not UTF-8 (no replacement characters).
      { parseAs: 'buffer', bodyLimit: CSV_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/cis/import',
      {
        bodyLimit: CSV_MAX_BYTES,
        schema: {
          tags,
          summary:
            'Import items from CSV (text/csv; upsert by asset tag; dryRun=true previews); all or nothing',
          consumes: ['text/csv'],
          querystring: CsvImportQuery,
          response: { 200: CsvImportResult, 400: Problem, 413: Problem, 415: Problem },
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw UnsupportedMedia('send the CSV as text/csv');
        return importCsv(ctx, actorOf(req), req.body, req.query.dryRun === 'true');
      },
    );
    done();
  });
  app.get(
    '/api/v1/cis/export.csv',
    {
      schema: {
        tags,
        summary: 'Export the filtered items as CSV',
        querystring: CiQuery.omit({ cursor: true, limit: true }),
      },
    },
    async (req, reply) => {
      const csv = await exportCsv(ctx, actorOf(req), req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="items.csv"')
        .send(csv);
    },
  );
  resourceRoutes(app, {
    path: '/api/v1/ci-classes',
    tags,
    noun: 'item class',
    item: CiClass,
    create: CreateCiClass,
    update: UpdateCiClass,
    params: ClassParams,
    service: {
      list: (actor) => classes.listClasses(ctx, actor),
      get: (actor, key) => classes.getClass(ctx, actor, key),
      create: (actor, input) => classes.createClass(ctx, actor, input),
      update: (actor, key, version, input) => classes.updateClass(ctx, actor, key, version, input),
      remove: (actor, key) => classes.deleteClass(ctx, actor, key),
    },
  });
  app.get(
    '/api/v1/cis',
    {
      schema: { tags, summary: 'List items', querystring: CiQuery, response: { 200: CiPage, 400: Problem } },
    },
    async (req) => cis.listCis(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/cis/mine',
    {
      schema: {
        tags,
        summary: 'The items I own (everyone)',
        response: { 200: z.object({ items: z.array(Ci) }) },
      },
    },
    async (req) => ({ items: await cis.myCis(ctx, actorOf(req)) }),
  );
  app.post(
    '/api/v1/cis',
    {
      schema: {
        tags,
        summary: 'Create an item',
        body: CreateCi,
        response: { 201: Ci, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const c = await cis.createCi(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.get(
    '/api/v1/cis/:id',
    { schema: { tags, summary: 'Get an item', params: IdParams, response: { 200: Ci, 404: Problem } } },
    async (req, reply) => {
      const c = await cis.getCi(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.patch(
    '/api/v1/cis/:id',
    {
      schema: {
        tags,
        summary: 'Change an item (If-Match)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateCi,
        response: { 200: Ci, 400: Problem, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const c = await cis.updateCi(ctx, actorOf(req), req.params.id, version, req.body, hooks.itemChanged);
      return reply.header('ETag', etagOf(c.version)).send(c);
    },
  );
  app.delete(
    '/api/v1/cis/:id',
    {
      schema: {
        tags,
        summary: 'Delete a retired or disposed item',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await cis.deleteCi(ctx, actorOf(req), req.params.id, hooks.itemChanged);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/cis/:id/history',
    {
      schema: {
        tags,
        summary: 'An item’s history (its audit entries)',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: AuditPage, 400: Problem, 404: Problem },
      },
    },
    async (req) => cis.ciHistory(ctx, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/cis/:id/software',
    {
      schema: {
        tags,
        summary: 'A computer’s software installations: a page, by name, searchable',
        params: IdParams,
        querystring: SoftwareQuery,
        response: { 200: CiPage, 400: Problem, 404: Problem },
      },
    },
    async (req) => cis.listSoftware(ctx, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/cis/:id/relationships',
    {
      schema: {
        tags,
        summary: 'An item’s relationships, both directions: a page, by type, then the other item’s name',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: CiRelationshipList, 400: Problem, 404: Problem },
      },
    },
    async (req) => graph.listRelationships(ctx, actorOf(req), req.params.id, req.query),
  );
  app.post(
    '/api/v1/cis/:id/relationships',
    {
      schema: {
        tags,
        summary: 'Relate this item to another ("this <type> toId")',
        params: IdParams,
        body: CreateCiRelationship,
        response: { 201: CiRelationship, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await graph.addRelationship(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/cis/:id/relationships/:relId',
    {
      schema: {
        tags,
        summary: 'Remove a relationship',
        params: RelationshipParams,
        response: { 204: Deleted, 404: Problem },
      },
    },
    async (req, reply) => {
      await graph.removeRelationship(ctx, actorOf(req), req.params.id, req.params.relId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/cis/:id/tickets',
    {
      schema: {
        tags,
        summary: 'The tickets about an item that you may see (open=true: open ones)',
        params: IdParams,
        querystring: OpenQuery,
        response: { 200: TicketList, 404: Problem },
      },
    },
    async (req) => ({
      items: await links.ticketsOfCi(ctx, actorOf(req), req.params.id, req.query.open === 'true'),
    }),
  );
  app.get(
    '/api/v1/tickets/:id/cis',
    {
      schema: {
        tags,
        summary: 'The items a ticket is about',
        params: IdParams,
        response: { 200: TicketItems, 404: Problem },
      },
    },
    async (req) => links.itemsOfTicket(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/tickets/:id/cis',
    {
      schema: {
        tags,
        summary: 'Link a ticket to an item (agents)',
        params: IdParams,
        body: LinkItem,
        response: { 204: Deleted, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await links.linkTicketToItem(ctx, actorOf(req), req.params.id, req.body.ciId);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/api/v1/tickets/:id/cis/:ciId',
    {
      schema: {
        tags,
        summary: 'Unlink a ticket from an item (agents)',
        params: TicketItemParams,
        response: { 204: Deleted, 404: Problem },
      },
    },
    async (req, reply) => {
      await links.unlinkTicketFromItem(ctx, actorOf(req), req.params.id, req.params.ciId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/agents/enrolment-tokens',
    {
      schema: {
        tags,
        summary: 'Make an enrolment token for discovery agents (admins; shown once)',
        body: CreateEnrolmentToken,
        response: { 201: EnrolmentToken, 400: Problem },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await discovery.createEnrolmentToken(ctx, actorOf(req), req.body)),
  );
  app.post(
    '/api/v1/agents/enrol',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Enrol a device: trade an enrolment token for its own agent token',
        security: [],
        body: EnrolAgent,
        response: { 201: EnrolledAgent, 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await discovery.enrolAgent(ctx, req.body)),
  );
  app.post(
    '/api/v1/agents/report',
    {
      config: { public: true },
      bodyLimit: REPORT_MAX_BYTES,
      schema: {
        tags,
        summary: 'An agent reports its machine (Authorization: Bearer <agent token>)',
        security: [{ bearer: [] }],
        body: AgentReport,
        response: { 200: ReportOutcome, 400: Problem, 401: Problem, 403: Problem, 413: Problem },
      },
    },
    async (req) => {
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const changed = hooks.sourcesChanged;
      // The report stands even when a listener fails: it is logged, and a later full re-match catches up.
      return ingestReport(
        ctx,
        token,
        req.body,
        changed &&
          (async (id) => {
            await changed(id).catch((err: unknown) =>
              req.log.error({ err }, 'sources-changed listener failed'),
            );
          }),
      );
    },
  );
  app.get(
    '/api/v1/agents',
    {
      schema: {
        tags,
        summary: 'Enrolled discovery agents: a page, newest enrolment first',
        querystring: PageQuery,
        response: { 200: AgentList, 400: Problem },
      },
    },
    async (req) => discovery.listAgents(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/agents/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an agent’s token (admins)',
        params: IdParams,
        response: { 204: Deleted, 404: Problem },
      },
    },
    async (req, reply) => {
      await discovery.revokeAgent(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/licences/compliance',
    {
      schema: {
        tags,
        summary: 'Licence compliance: seats against installations',
        response: { 200: LicenceCompliance },
      },
    },
    async (req) => licenceCompliance(ctx, actorOf(req)),
  );
  app.get(
    '/api/v1/cis/:id/impact',
    {
      schema: {
        tags,
        summary: 'Impact analysis: the graph around an item to a depth',
        params: IdParams,
        querystring: ImpactQuery,
        response: { 200: Impact, 400: Problem, 404: Problem },
      },
    },
    async (req) => graph.impactOf(ctx, actorOf(req), req.params.id, req.query),
  );
}
