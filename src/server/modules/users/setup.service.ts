/**
 * First run: while no active admin exists, a starting server makes a one-time set-up token (printed in its log
 * and written to `<data dir>/setup-token`, mode 0600), and `POST /api/v1/setup/admin` with that token creates
 * the first admin. This lets `steward admin create` work while the server holds the embedded database.
 */
import { chmod, rm, writeFile } from 'node:fs/promises';
import type { SetupAdmin, User } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, Conflict } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import * as repo from './links.repository.js';
import { strongHash } from './password.js';
import { findForLogin, insert } from './users.repository.js';
import { toView } from './users.service.js';

/** How long a set-up token works (a restart makes a new one). */
const SETUP_LIFETIME_MS = 24 * 3_600_000;

/** A set-up token this process made, and where it wrote it. */
export interface FirstRun {
  token: string;
  /** The file holding the token, when it could be written. */
  file: string | undefined;
  /** Forgets the token (the server stops, or the first admin exists): its row and its file. */
  end(): Promise<void>;
}

/** Whether this installation still needs its first admin. */
export async function setupNeeded(ctx: Ctx): Promise<boolean> {
  return !(await repo.activeAdminExists(ctx.db));
}

/**
 * Makes this process's set-up token when no active admin exists (else undefined), stores its hash and writes
 * it to `file` (readable by the server's own user only; a file that cannot be written is skipped).
 */
export async function prepareFirstRun(ctx: Ctx, file: string | undefined): Promise<FirstRun | undefined> {
  if (!(await setupNeeded(ctx))) return undefined;
  const token = `stw_setup_${randomSecret(32)}`;
  const hash = sha256(token);
  await repo.insertSetupToken(ctx.db, hash, new Date(Date.now() + SETUP_LIFETIME_MS));
  let written: string | undefined;
  if (file) {
    try {
      await writeFile(file, `${token}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
      written = file;
    } catch {
      written = undefined;
    }
  }
  let ended = false;
  return {
    token,
    file: written,
    async end() {
      if (ended) return;
      ended = true;
      if (written) await rm(written, { force: true });
      await repo.deleteSetupToken(ctx.db, hash);
    },
  };
}

const tokenRefused = () =>
  new AppError(
    401,
    'setup_token_invalid',
    'Set-up token refused',
    'the set-up token is unknown or expired: use the one the running server printed at its start',
  );

/**
 * Creates the first admin with a set-up token. Decided under one lock: of parallel requests exactly one
 * creates an admin, the others are told an admin exists. Every set-up token stops working with it.
 */
export async function createFirstAdmin(ctx: Ctx, input: SetupAdmin, ip: string | null): Promise<User> {
  const passwordHash = await strongHash(input.password, input);
  return ctx.tx(async (db) => {
    await repo.lockSetup(db);
    if (await repo.activeAdminExists(db)) {
      throw Conflict('Steward has an admin already: ask them for an account, or sign in', 'setup_done');
    }
    if (!(await repo.setupTokenValid(db, sha256(input.token), new Date()))) throw tokenRefused();
    if (await findForLogin(db, input.email)) {
      throw Conflict('a user with this e-mail already exists: choose another address', 'email_taken', [
        { path: 'body.email', message: 'already in use' },
      ]);
    }
    const row = await insert(db, {
      email: input.email.toLowerCase(),
      name: input.name,
      role: 'admin',
      password_hash: passwordHash,
    });
    await repo.deleteSetupTokens(db);
    const actor: Actor = { userId: null, role: 'admin', label: 'set-up token', via: 'system', ip };
    const user = toView(row, []);
    await record(db, actor, 'user.created', { type: 'user', id: row.id }, null, {
      ...user,
      passwordSet: true,
      via: 'set-up token',
    });
    return user;
  });
}
