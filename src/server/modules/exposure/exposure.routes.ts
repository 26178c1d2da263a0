import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AdvisoryImport,
  ExposureList,
  ExposureQuery,
  ExposureSla,
  Problem,
  ServiceExposureList,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { can } from '../../platform/permissions.js';
import { getSla, listExposuresFor, serviceExposure, setSla } from './exposure.service.js';
import { importAdvisories } from './import.service.js';

/** The largest archive an import accepts (OSV's all.zip of Debian is about 100 MB). */
export const IMPORT_MAX_BYTES = 1024 * 1024 * 1024;

/** Exposure's API: importing advisories (admins), exposures by severity and per service, the SLA. */
export function exposureRoutes(
  app: App,
  deps: { ctx: Ctx; uploadDir: string; refresh: (stored: boolean) => Promise<unknown> },
): void {
  const { ctx } = deps;
  const tags = ['exposure'];
  void app.register((plain, _opts, done) => {
    // A scope of its own: the body is a zip archive, streamed to a scratch file (never held in memory).
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser('application/zip', (_req, payload, next) => next(null, payload));
    scope.post(
      '/api/v1/exposure/imports',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary: 'Import OSV advisories: a zip archive of OSV .json records (e.g. OSV’s all.zip)',
          response: { 200: AdvisoryImport, 400: Problem, 404: Problem, 415: Problem, 422: Problem },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        can(actor, 'ci:admin');
        if (!req.headers['content-type']?.startsWith('application/zip')) {
          throw new AppError(
            415,
            'unsupported_media',
            'Unsupported media type',
            'send a zip archive (application/zip)',
          );
        }
        await mkdir(deps.uploadDir, { recursive: true });
        const dir = await mkdtemp(join(deps.uploadDir, 'osv-'));
        try {
          const file = join(dir, 'advisories.zip');
          await pipeline(req.body as Readable, createWriteStream(file));
          const outcome = await importAdvisories(ctx, actor, file, 'upload');
          await deps.refresh(outcome.stored > 0);
          return outcome;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
    done();
  });
  app.get(
    '/api/v1/exposures',
    {
      schema: {
        tags,
        summary: 'Exposures, worst first',
        querystring: ExposureQuery,
        response: { 200: ExposureList },
      },
    },
    async (req) => listExposuresFor(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/exposure/services',
    {
      schema: {
        tags,
        summary: 'Open exposures per business service',
        response: { 200: ServiceExposureList },
      },
    },
    async (req) => serviceExposure(ctx, actorOf(req)),
  );
  app.get(
    '/api/v1/exposure/sla',
    { schema: { tags, summary: 'Days to fix per severity', response: { 200: ExposureSla } } },
    async (req) => getSla(ctx, actorOf(req)),
  );
  app.put(
    '/api/v1/exposure/sla',
    {
      schema: {
        tags,
        summary: 'Change the days to fix (admins)',
        body: ExposureSla,
        response: { 200: ExposureSla },
      },
    },
    async (req) => setSla(ctx, actorOf(req), req.body),
  );
}
