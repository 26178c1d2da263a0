/**
 * Browsing and downloading a device's backups: `/api/v1/backup/browse/…` (the restic endpoint for agents is
 * `/api/v1/backup/devices/…`). Signed-in people only; who sees which device is browse.service.ts.
 */
import type { FastifyReply } from 'fastify';
import {
  BrowsableDevices,
  BrowseDeviceParams,
  BrowseDiff,
  BrowseDiffQuery,
  BrowseFolder,
  BrowseFolderQuery,
  BrowsePathQuery,
  BrowseSearchQuery,
  BrowseSearchResult,
  BrowseSnapshotParams,
  BrowseSnapshots,
  Problem,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { diffSnapshots } from './browse-diff.js';
import { type Download, downloadFile, downloadZip } from './browse-download.js';
import { searchSnapshots } from './browse-search.js';
import { browsableDevices, type BrowseDeps, listFolder, listSnapshots } from './browse.service.js';

const BASE = '/api/v1/backup/browse';

/**
 * `Content-Disposition` for a download named `name`: an ASCII fallback, and the exact name in RFC 5987 form
 * (browsers use the latter). Quotes, backslashes, slashes and control characters never reach the header.
 */
export function contentDisposition(name: string): string {
  const clean =
    [...name]
      .map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '/' || c === '\\' ? '_' : c))
      .join('')
      .trim() || 'download';
  const ascii = clean.replace(/[^\u0020-\u007e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function send(reply: FastifyReply, d: Download) {
  void reply
    .header('Content-Type', d.contentType)
    .header('Content-Disposition', contentDisposition(d.filename))
    .header('Cache-Control', 'private, no-store')
    .header('X-Content-Type-Options', 'nosniff');
  if (d.size !== undefined) void reply.header('Content-Length', d.size);
  return reply.send(d.body);
}

/** The browse routes. */
export function browseRoutes(app: App, deps: BrowseDeps): void {
  const tags = ['backups'];
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary:
          'The devices I may browse the backups of (staff: every device with backups; others: their own)',
        response: { 200: BrowsableDevices },
      },
    },
    async (req) => browsableDevices(deps, actorOf(req)),
  );
  app.get(
    `${BASE}/:ciId/snapshots`,
    {
      schema: {
        tags,
        summary: 'A device’s snapshots, newest first',
        params: BrowseDeviceParams,
        response: { 200: BrowseSnapshots, 404: Problem, 502: Problem },
      },
    },
    async (req) => listSnapshots(deps, actorOf(req), req.params.ciId),
  );
  app.get(
    `${BASE}/:ciId/snapshots/:snapshotId/folder`,
    {
      schema: {
        tags,
        summary: 'One folder of a snapshot: folders first, then files, with sizes and dates',
        params: BrowseSnapshotParams,
        querystring: BrowseFolderQuery,
        response: { 200: BrowseFolder, 400: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req) => listFolder(deps, actorOf(req), req.params.ciId, req.params.snapshotId, req.query),
  );
  app.get(
    `${BASE}/:ciId/search`,
    {
      schema: {
        tags,
        summary: 'Search by name across a device’s snapshots (part of the name, or a glob: *.docx)',
        params: BrowseDeviceParams,
        querystring: BrowseSearchQuery,
        response: { 200: BrowseSearchResult, 400: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req) => searchSnapshots(deps, actorOf(req), req.params.ciId, req.query),
  );
  app.get(
    `${BASE}/:ciId/diff`,
    {
      schema: {
        tags,
        summary: 'What changed between two snapshots of a device',
        params: BrowseDeviceParams,
        querystring: BrowseDiffQuery,
        response: { 200: BrowseDiff, 400: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req) => diffSnapshots(deps, actorOf(req), req.params.ciId, req.query),
  );
  app.get(
    `${BASE}/:ciId/snapshots/:snapshotId/file`,
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'Download one file of a snapshot',
        params: BrowseSnapshotParams,
        querystring: BrowsePathQuery,
        response: { 400: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await downloadFile(deps, actorOf(req), req.params.ciId, req.params.snapshotId, req.query.path),
      ),
  );
  app.get(
    `${BASE}/:ciId/snapshots/:snapshotId/zip`,
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'Download a folder of a snapshot as a ZIP archive (streamed)',
        params: BrowseSnapshotParams,
        querystring: BrowsePathQuery,
        response: { 400: Problem, 404: Problem, 502: Problem },
      },
    },
    async (req, reply) =>
      send(
        reply,
        await downloadZip(deps, actorOf(req), req.params.ciId, req.params.snapshotId, req.query.path),
      ),
  );
}
