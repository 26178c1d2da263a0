import type { FastifyRequest } from 'fastify';
import {
  GeneratedPassword,
  IdParams,
  PasswordPolicy,
  Problem,
  RestoreVersion,
  RevealedSecret,
  RevealRequest,
  SetSecret,
  SetShares,
  VaultEntry,
  VaultImport,
  VaultImportResult,
  VaultList,
  VaultSettings,
  VersionParams,
} from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import { can } from '../../platform/permissions.js';
import { generatePassword } from './vault.generate.js';
import { importExport } from './vault.import.js';
import type { VaultService } from './vault.service.js';
import { myPasswords, vaultEntry } from './vault.view.js';

const tags = ['vault'];
const errors = { 400: Problem, 403: Problem, 404: Problem };

/**
 * The credential vault's routes: the caller's passwords, a credential's entry, a new version (set, rotate,
 * generate), reveal with a reason (never cached), restore an earlier version, rotation settings, shares,
 * password generation and CSV import. Writes answer with the entry as it now is, which holds no secret.
 */
export function vaultRoutes(app: App, ctx: Ctx, vault: VaultService): void {
  const entry = (req: FastifyRequest, id: string) => vaultEntry(ctx, actorOf(req), id);
  app.get(
    '/api/v1/vault',
    { schema: { tags, summary: 'The passwords shared with me', response: { 200: VaultList } } },
    async (req) => ({ items: await myPasswords(ctx, actorOf(req)) }),
  );
  app.post(
    '/api/v1/vault/generate',
    {
      schema: {
        tags,
        summary: 'Generate a strong password',
        body: PasswordPolicy.optional(),
        response: { 200: GeneratedPassword, 400: Problem },
      },
    },
    async (req, reply) => {
      can(actorOf(req), 'ci:read');
      return reply.header('Cache-Control', 'no-store').send({
        password: generatePassword(PasswordPolicy.parse(req.body ?? {})),
      });
    },
  );
  app.post(
    '/api/v1/vault/import',
    {
      schema: {
        tags,
        summary: 'Import a Bitwarden, KeePass or 1Password CSV export (dryRun previews)',
        body: VaultImport,
        response: { 200: VaultImportResult, ...errors },
      },
    },
    async (req) => importExport(ctx, vault, actorOf(req), req.body),
  );
  app.get(
    '/api/v1/vault/:id',
    {
      schema: {
        tags,
        summary: 'A credential item’s vault entry (no secret)',
        params: IdParams,
        response: { 200: VaultEntry, 404: Problem },
      },
    },
    async (req) => entry(req, req.params.id),
  );
  app.put(
    '/api/v1/vault/:id/secret',
    {
      schema: {
        tags,
        summary: 'Set or rotate the secret (a new version)',
        params: IdParams,
        body: SetSecret,
        response: { 200: VaultEntry, ...errors },
      },
    },
    async (req) => {
      await vault.setSecret(actorOf(req), req.params.id, req.body);
      return entry(req, req.params.id);
    },
  );
  app.post(
    '/api/v1/vault/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Reveal the secret, with a reason (audited, shown on the item)',
        params: IdParams,
        body: RevealRequest,
        response: { 200: RevealedSecret, ...errors },
      },
    },
    async (req, reply) => {
      const s = await vault.reveal(actorOf(req), req.params.id, req.body.reason, req.body.version);
      return reply.header('Cache-Control', 'no-store').send(s);
    },
  );
  app.post(
    '/api/v1/vault/:id/versions/:version/restore',
    {
      schema: {
        tags,
        summary: 'Make an earlier version the newest again',
        params: VersionParams,
        body: RestoreVersion,
        response: { 200: VaultEntry, ...errors },
      },
    },
    async (req) => {
      await vault.restore(actorOf(req), req.params.id, req.params.version, req.body.reason);
      return entry(req, req.params.id);
    },
  );
  app.patch(
    '/api/v1/vault/:id/settings',
    {
      schema: {
        tags,
        summary: 'Rotation: period, due date, rotate after reveal',
        params: IdParams,
        body: VaultSettings,
        response: { 200: VaultEntry, ...errors },
      },
    },
    async (req) => {
      await vault.settings(actorOf(req), req.params.id, req.body);
      return entry(req, req.params.id);
    },
  );
  app.put(
    '/api/v1/vault/:id/shares',
    {
      schema: {
        tags,
        summary: 'Who may reveal (and manage) the credential',
        params: IdParams,
        body: SetShares,
        response: { 200: VaultEntry, ...errors },
      },
    },
    async (req) => {
      await vault.share(actorOf(req), req.params.id, req.body);
      return entry(req, req.params.id);
    },
  );
}
