/** What the vault shows: an item's entry (shares, versions, reveals) and the caller's passwords. Never secrets. */
import type { VaultEntry, VaultListItem } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { credentialItem, credentialItems } from '../cmdb/index.js';
import { teamNames } from '../teams/index.js';
import { userNames } from '../users/index.js';
import { accessToOne, teamsOfActor } from './vault.access.js';
import { day } from './vault.service.js';
import * as repo from './vault.repository.js';

const REVEALS_SHOWN = 20;

/** A credential item's vault entry as its page shows it. */
export async function vaultEntry(ctx: Ctx, actor: Actor, ciId: string): Promise<VaultEntry> {
  can(actor, 'ci:read');
  const item = await credentialItem(ctx.db, ciId);
  if (!item) throw NotFound('credential');
  const [e, shares, versions, reveals, access] = await Promise.all([
    repo.findEntry(ctx.db, ciId),
    repo.shares(ctx.db, ciId),
    repo.versions(ctx.db, ciId),
    repo.reveals(ctx.db, ciId, REVEALS_SHOWN),
    accessToOne(ctx.db, actor, ciId),
  ]);
  const people = await userNames(ctx.db, [
    ...shares.flatMap((s) => (s.user_id ? [s.user_id] : [])),
    ...versions.flatMap((v) => (v.created_by ? [v.created_by] : [])),
    ...reveals.flatMap((r) => (r.user_id ? [r.user_id] : [])),
  ]);
  const teams = await teamNames(
    ctx.db,
    shares.flatMap((s) => (s.team_id ? [s.team_id] : [])),
  );
  const who = (id: string | null, label: string) => (id ? people.get(id)?.name : undefined) ?? label;
  const due = e?.rotation_due ?? null;
  return {
    ciId,
    name: item.name,
    system: item.system,
    username: e?.username ?? null,
    hasSecret: (e?.current_version ?? 0) > 0,
    currentVersion: e?.current_version ?? 0,
    rotationDays: e?.rotation_days ?? null,
    rotationDue: due,
    rotationOverdue: due !== null && due <= day(),
    rotateAfterReveal: e?.rotate_after_reveal ?? false,
    canReveal: access.reveal,
    canManage: access.manage || (shares.length === 0 && (e?.current_version ?? 0) === 0),
    shares: shares.map((s) => ({
      userId: s.user_id,
      teamId: s.team_id,
      name: s.user_id ? who(s.user_id, 'someone') : (teams.get(s.team_id!) ?? 'a team'),
      level: s.level,
    })),
    reveals: reveals.map((r) => ({
      by: who(r.user_id, r.actor_label),
      at: r.at.toISOString(),
      reason: r.reason,
      version: r.version,
    })),
    versions: versions.map((v) => ({
      version: v.version,
      by: who(v.created_by, v.created_label),
      at: v.created_at.toISOString(),
      reason: v.reason,
    })),
    version: e?.version ?? 0,
  };
}

/** The credentials shared with the caller or their teams, by name ("Passwords"). */
export async function myPasswords(ctx: Ctx, actor: Actor): Promise<VaultListItem[]> {
  can(actor, 'ci:read');
  if (!actor.userId) return [];
  const levels = await repo.levelsOf(ctx.db, actor.userId, await teamsOfActor(ctx.db, actor));
  const ids = [...levels.keys()];
  const [items, entries] = await Promise.all([credentialItems(ctx.db, ids), repo.entries(ctx.db, ids)]);
  const today = day();
  return entries
    .filter((e) => items.has(e.ci_id))
    .map((e) => {
      const item = items.get(e.ci_id)!;
      return {
        ciId: e.ci_id,
        name: item.name,
        system: item.system,
        username: e.username,
        currentVersion: e.current_version,
        rotationDue: e.rotation_due,
        rotationOverdue: e.rotation_due !== null && e.rotation_due <= today,
        level: levels.get(e.ci_id)!,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.ciId.localeCompare(b.ciId));
}
