/**
 * The vault's writes: a new version of a secret (first set, rotation, restore of an earlier version), reveals
 * with a reason, rotation settings and shares. Each in one transaction with its audit entry; audit entries,
 * errors and logs name versions and reasons, never a secret.
 */
import type { RevealedSecret, SetSecret, SetShares, VaultSettings } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { SecretBox } from '../../platform/envelope.js';
import { record } from '../../platform/audit/index.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { credentialItem } from '../cmdb/index.js';
import { existingTeamIds } from '../teams/index.js';
import { existingUserIds } from '../users/index.js';
import { accessToOne } from './vault.access.js';
import { generatePassword } from './vault.generate.js';
import * as repo from './vault.repository.js';

/** What is sealed in one version. */
interface Sealed {
  password: string | null;
  privateKey: string | null;
  notes: string | null;
}

/** Today (UTC), or `days` later, as YYYY-MM-DD. */
export function day(days = 0, now = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The sealing context: a version's value opens only in its own row. */
const contextOf = (ciId: string, version: number) => `vault:${ciId}:${version}`;
const entity = (ciId: string) => ({ type: 'ci', id: ciId });

/** The vault's service over a database and the box that seals its secrets. */
export function vaultService(ctx: Ctx, box: SecretBox) {
  const requireItem = async (ciId: string) => {
    const item = await credentialItem(ctx.db, ciId);
    if (!item) throw NotFound('credential');
    return item;
  };
  const openVersion = async (db: Db, ciId: string, version: number): Promise<Sealed> => {
    const sealed = await repo.sealedVersion(db, ciId, version);
    if (!sealed) throw NotFound('version');
    return JSON.parse(box.open(sealed, contextOf(ciId, version))) as Sealed;
  };
  /** Appends a version under the entry's row lock; the caller's transaction records it. */
  const append = async (
    db: Db,
    actor: Actor,
    ciId: string,
    next: (prev: Sealed) => Sealed,
    extra: {
      reason: string;
      username?: string | null;
    },
  ) => {
    await repo.ensureEntry(db, ciId);
    const e = (await repo.findEntry(db, ciId, true))!;
    const shares = await repo.shares(db, ciId);
    const access = await accessToOne(db, actor, ciId);
    // Only a credential that never had a secret may be claimed by whoever sets the first one: once it has versions,
    // taking it over (even after every share was removed) would open its earlier versions.
    if ((shares.length > 0 || e.current_version > 0) && !access.manage)
      throw Forbidden('only the people who manage this credential change its secret');
    const prev: Sealed =
      e.current_version > 0
        ? await openVersion(db, ciId, e.current_version)
        : { password: null, privateKey: null, notes: null };
    const version = e.current_version + 1;
    await repo.addVersion(db, {
      ciId,
      version,
      sealed: box.seal(JSON.stringify(next(prev)), contextOf(ciId, version)),
      reason: extra.reason,
      by: actor.userId,
      label: actor.label,
      username: extra.username === undefined ? e.username : extra.username,
      rotationDue: e.rotation_days ? day(e.rotation_days) : null,
    });
    // The first person to give a credential its secret manages it until they share it.
    if (shares.length === 0 && actor.userId)
      await repo.replaceShares(db, ciId, [{ user_id: actor.userId, team_id: null, level: 'manage' }]);
    return { previous: e.current_version, version };
  };

  return {
    /** A new version of the secret: the first, or a rotation. Answers the new version's number. */
    async setSecret(actor: Actor, ciId: string, input: SetSecret): Promise<number> {
      can(actor, 'ci:write');
      await requireItem(ciId);
      const generated = input.generate ? generatePassword(input.generate) : undefined;
      const password = generated ?? input.password;
      const { previous, version } = await ctx.tx(async (db) => {
        const r = await append(
          db,
          actor,
          ciId,
          (prev) => ({
            password: password ?? prev.password,
            privateKey: input.privateKey === undefined ? prev.privateKey : input.privateKey,
            notes: input.notes === undefined ? prev.notes : input.notes,
          }),
          { reason: input.reason ?? '', username: input.username },
        );
        await record(db, actor, r.previous === 0 ? 'vault.secret_set' : 'vault.rotated', entity(ciId), null, {
          version: r.version,
          reason: input.reason ?? null,
          generated: generated !== undefined,
        });
        return r;
      });
      void previous;
      return version;
    },

    /** An earlier version becomes the newest (a new version with its content). */
    async restore(actor: Actor, ciId: string, from: number, reason: string): Promise<number> {
      can(actor, 'ci:write');
      await requireItem(ciId);
      return ctx.tx(async (db) => {
        const old = await openVersion(db, ciId, from);
        const r = await append(db, actor, ciId, () => old, { reason: `restored version ${from}: ${reason}` });
        await record(db, actor, 'vault.restored', entity(ciId), null, { version: r.version, from, reason });
        return r.version;
      });
    },

    /** The secret (current or an earlier version) for someone it is shared with, with their reason. */
    async reveal(actor: Actor, ciId: string, reason: string, version?: number): Promise<RevealedSecret> {
      can(actor, 'ci:read');
      await requireItem(ciId);
      return ctx.tx(async (db) => {
        if (!(await accessToOne(db, actor, ciId)).reveal)
          throw Forbidden('this credential is not shared with you');
        const e = await repo.findEntry(db, ciId);
        if (!e || e.current_version === 0) throw NotFound('secret');
        const v = version ?? e.current_version;
        const s = await openVersion(db, ciId, v);
        await repo.addReveal(db, { ciId, version: v, userId: actor.userId, label: actor.label, reason });
        if (e.rotate_after_reveal && v === e.current_version) await repo.dueBy(db, ciId, day());
        await record(db, actor, 'vault.revealed', entity(ciId), null, { version: v, reason });
        return { version: v, username: e.username, ...s };
      });
    },

    /** Rotation: every how many days, the next due date, and whether a reveal makes it due. */
    async settings(actor: Actor, ciId: string, input: VaultSettings): Promise<void> {
      can(actor, 'ci:write');
      await requireItem(ciId);
      await ctx.tx(async (db) => {
        await repo.ensureEntry(db, ciId);
        const e = (await repo.findEntry(db, ciId, true))!;
        const shares = await repo.shares(db, ciId);
        if ((shares.length > 0 || e.current_version > 0) && !(await accessToOne(db, actor, ciId)).manage)
          throw Forbidden('only the people who manage this credential change its rotation');
        const next = {
          rotationDays: input.rotationDays === undefined ? e.rotation_days : input.rotationDays,
          rotationDue: input.rotationDue === undefined ? e.rotation_due : input.rotationDue,
          rotateAfterReveal: input.rotateAfterReveal ?? e.rotate_after_reveal,
        };
        // A new rotation period without a date given starts counting today.
        if (input.rotationDays && input.rotationDue === undefined) next.rotationDue = day(input.rotationDays);
        await repo.setRotation(db, ciId, next);
        await record(
          db,
          actor,
          'vault.rotation_changed',
          entity(ciId),
          {
            rotationDays: e.rotation_days,
            rotationDue: e.rotation_due,
            rotateAfterReveal: e.rotate_after_reveal,
          },
          next,
        );
      });
    },

    /** Replaces who the credential is shared with (managers and admins). */
    async share(actor: Actor, ciId: string, input: SetShares): Promise<void> {
      can(actor, 'ci:write');
      await requireItem(ciId);
      const rows: repo.ShareRow[] = input.shares.map((s) =>
        'userId' in s
          ? { user_id: s.userId, team_id: null, level: s.level }
          : { user_id: null, team_id: s.teamId, level: s.level },
      );
      const users = rows.flatMap((r) => (r.user_id ? [r.user_id] : []));
      const teams = rows.flatMap((r) => (r.team_id ? [r.team_id] : []));
      if (new Set(users).size !== users.length || new Set(teams).size !== teams.length)
        throw Invalid('each person and team appears once');
      await ctx.tx(async (db) => {
        const knownUsers = await existingUserIds(db, users);
        const knownTeams = await existingTeamIds(db, teams);
        const missing = [
          ...users.filter((u) => !knownUsers.has(u)),
          ...teams.filter((t) => !knownTeams.has(t)),
        ];
        if (missing.length > 0) throw Invalid('a person or team to share with does not exist');
        await repo.ensureEntry(db, ciId);
        const e = (await repo.findEntry(db, ciId, true))!;
        const before = await repo.shares(db, ciId);
        if ((before.length > 0 || e.current_version > 0) && !(await accessToOne(db, actor, ciId)).manage)
          throw Forbidden('only the people who manage this credential share it');
        await repo.replaceShares(db, ciId, rows);
        await record(db, actor, 'vault.shared', entity(ciId), { shares: before }, { shares: rows });
      });
    },
  };
}

/** The vault service's type. */
export type VaultService = ReturnType<typeof vaultService>;
