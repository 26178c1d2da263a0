import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddMapping,
  ComplianceControl,
  ComplianceControlList,
  ComplianceEvidence,
  ComplianceEvidencePage,
  ComplianceEvidenceQuery,
  ComplianceFramework,
  ComplianceFrameworkList,
  ExportQuery,
  IdParams,
  ImportBuiltin,
  ImportQuery,
  ImportResult,
  Problem,
  UpdateControl,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { UnsupportedMedia } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { can } from '../../platform/permissions.js';
import type { Deps } from '../deps.js';
import { readUpload } from '../../platform/files/multipart.js';
import * as register from './compliance.service.js';
import * as evidence from './evidence.service.js';
import type { EvidenceDeps } from './evidence.service.js';
import { auditExport } from './export.service.js';

const tags = ['compliance'];
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem };
/** The largest control set file an import takes. */
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const MappingParams = z.strictObject({ id: z.uuid(), mappingId: z.uuid() });
const EvidenceParams = z.strictObject({ id: z.uuid(), evidenceId: z.uuid() });
/** Files one evidence upload may carry. */
const MAX_EVIDENCE_FILES = 10;
const UploadFields = z.strictObject({ note: z.string().max(2000).optional() });

/** What the compliance routes need: the context, upload limits, collection deps and the export key. */
export interface ComplianceRouteDeps {
  ctx: Ctx;
  attachments: Deps['attachments'];
  evidence: EvidenceDeps;
  exportKey: Buffer;
}

/** Imports: a shipped control set by key, or a file (JSON or CSV) as raw bytes. */
function importRoutes(app: App, { ctx }: ComplianceRouteDeps): void {
  app.post(
    '/api/v1/compliance/frameworks',
    {
      schema: {
        tags,
        summary: 'Load (or refresh) a control set Steward ships (managers)',
        body: ImportBuiltin,
        response: { 201: ImportResult, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await register.importBuiltin(ctx, actorOf(req), req.body.key)),
  );
  void app.register((plain, _opts, done) => {
    // A scope of its own: the body is the file's bytes (decoded and checked by the import, never by a parser).
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      ['application/octet-stream', 'text/csv'],
      { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES },
      (_req, body, next) => next(null, body),
    );
    scope.post(
      '/api/v1/compliance/import',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary:
            'Import a control set with the full texts you are licensed for (application/octet-stream: JSON or CSV); all or nothing',
          querystring: ImportQuery,
          response: { 200: ImportResult, ...errors, 413: Problem, 415: Problem },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        can(actor, 'compliance:admin');
        if (!Buffer.isBuffer(req.body)) throw UnsupportedMedia('send the file as application/octet-stream');
        return register.importFile(ctx, actor, req.body, req.query);
      },
    );
    done();
  });
}

/** Frameworks, controls, the statement of applicability, owners, reviews and evidence mappings. */
function registerRoutes(app: App, { ctx, exportKey }: ComplianceRouteDeps): void {
  app.get(
    '/api/v1/compliance/frameworks',
    {
      schema: {
        tags,
        summary: 'Frameworks I see, and the control sets Steward ships',
        response: { 200: ComplianceFrameworkList },
      },
    },
    async (req) => register.listFrameworks(ctx, actorOf(req)),
  );
  app.get(
    '/api/v1/compliance/frameworks/:id',
    {
      schema: {
        tags,
        summary: 'A framework',
        params: IdParams,
        response: { 200: ComplianceFramework, 404: Problem },
      },
    },
    async (req) => register.getFramework(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/compliance/frameworks/:id/controls',
    {
      schema: {
        tags,
        summary: 'A framework’s controls I see (managers: all; owners: theirs)',
        params: IdParams,
        response: { 200: ComplianceControlList, 404: Problem },
      },
    },
    async (req) => ({ items: await register.listControls(ctx, actorOf(req), req.params.id) }),
  );
  app.get(
    '/api/v1/compliance/frameworks/:id/export',
    {
      schema: {
        tags,
        summary:
          'The audit export of a period: a zip with the statement of applicability, evidence and a signed manifest',
        params: IdParams,
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const x = await auditExport(ctx, actorOf(req), exportKey, req.params.id, req.query);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${x.fileName}"`)
        .header('x-manifest-sha256', x.manifestSha256)
        .send(x.stream);
    },
  );
  app.get(
    '/api/v1/compliance/controls/:id',
    {
      schema: {
        tags,
        summary: 'A control',
        params: IdParams,
        response: { 200: ComplianceControl, 404: Problem },
      },
    },
    async (req) => register.getControl(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/v1/compliance/controls/:id',
    {
      schema: {
        tags,
        summary: 'Set a control’s applicability (with its justification), owner or review cycle (managers)',
        params: IdParams,
        body: UpdateControl,
        response: { 200: ComplianceControl, ...errors },
      },
    },
    async (req) => register.updateControl(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/compliance/controls/:id/reviewed',
    {
      schema: {
        tags,
        summary: 'Record that the control was reviewed: the next review is one cycle from today',
        params: IdParams,
        response: { 200: ComplianceControl, ...errors },
      },
    },
    async (req) => register.markReviewed(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/compliance/controls/:id/mappings',
    {
      schema: {
        tags,
        summary: 'Map an evidence query with its pass rule and effective date to a control (managers)',
        params: IdParams,
        body: AddMapping,
        response: { 201: ComplianceControl, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await register.addMapping(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/compliance/controls/:id/mappings/:mappingId',
    {
      schema: {
        tags,
        summary: 'End an evidence mapping (its evidence stays) (managers)',
        params: MappingParams,
        response: { 200: ComplianceControl, ...errors },
      },
    },
    async (req) => register.endMapping(ctx, actorOf(req), req.params.id, req.params.mappingId),
  );
}

/** Evidence: collect now, the history, uploads and downloads. */
async function evidenceRoutes(app: App, deps: ComplianceRouteDeps): Promise<void> {
  const { ctx, attachments: limits } = deps;
  app.post(
    '/api/v1/compliance/controls/:id/collect',
    {
      schema: {
        tags,
        summary: 'Collect the control’s evidence now (its owner, or managers)',
        params: IdParams,
        response: { 200: ComplianceControl, ...errors },
      },
    },
    async (req) => evidence.collectControl(ctx, deps.evidence, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/compliance/controls/:id/evidence',
    {
      schema: {
        tags,
        summary: 'The control’s evidence, newest first',
        params: IdParams,
        querystring: ComplianceEvidenceQuery,
        response: { 200: ComplianceEvidencePage, ...errors },
      },
    },
    async (req) => evidence.evidencePage(ctx, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/compliance/controls/:id/evidence/:evidenceId/content',
    {
      schema: {
        tags,
        summary: 'A piece of evidence: the uploaded file, or the collected result as canonical JSON',
        params: EvidenceParams,
      },
    },
    async (req, reply) => {
      const f = await evidence.evidenceContent(ctx, actorOf(req), req.params.id, req.params.evidenceId);
      return reply
        .header('Content-Type', f.type)
        .header('Content-Disposition', f.disposition)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('ETag', `"${f.sha256}"`)
        .header('Content-Length', String(f.size))
        .send(Readable.from(f.data));
    },
  );
  await app.register(async (plain) => {
    // A scope of its own: the multipart parser applies to the upload only.
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await scope.register(multipart, {
      limits: { fileSize: limits.maxBytes, files: 10, fields: 1, parts: 11, fieldSize: 2000 },
    });
    scope.post(
      '/api/v1/compliance/controls/:id/evidence',
      {
        schema: {
          tags,
          summary: 'Upload evidence files (multipart/form-data: `file` parts and an optional `note`)',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: {
            201: z.object({ items: z.array(ComplianceEvidence) }),
            ...errors,
            413: Problem,
            415: Problem,
          },
        },
      },
      async (req, reply) => {
        // Who may not add evidence to this control learns nothing more than a 404, whatever the body.
        await evidence.mayUpload(ctx, actorOf(req), req.params.id);
        const { uploads, fields } = await readUpload(req, {
          maxBytes: limits.maxBytes,
          dir: limits.uploadDir,
          maxFiles: MAX_EVIDENCE_FILES,
          fields: UploadFields,
        });
        try {
          const items = await evidence.uploadEvidence(ctx, actorOf(req), req.params.id, uploads, fields.note);
          return await reply.code(201).send({ items });
        } finally {
          await Promise.all(uploads.map((u) => u.discard()));
        }
      },
    );
  });
}

/** The compliance register's API. */
export async function complianceRoutes(app: App, deps: ComplianceRouteDeps): Promise<void> {
  importRoutes(app, deps);
  registerRoutes(app, deps);
  await evidenceRoutes(app, deps);
}
