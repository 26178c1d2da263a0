/**
 * What access reviews need from the vault: every share (who may reveal which credential, and who manages it),
 * and the revocation of one share, applied by the vault in the caller's transaction and audited.
 */
import { record } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { credentialItems } from '../cmdb/index.js';
import { teamMembers } from '../teams/index.js';
import * as repo from './vault.repository.js';

/** One share of a credential, with the credential's name and the people who manage it. */
export interface CredentialHolding {
  ciId: string;
  credential: string;
  userId: string | null;
  teamId: string | null;
  level: 'reveal' | 'manage';
  managerIds: string[];
}

/** Every share of every credential item. */
export async function credentialHoldings(db: Db): Promise<CredentialHolding[]> {
  const shares = await repo.allShares(db);
  const items = await credentialItems(db, [...new Set(shares.map((s) => s.ci_id))]);
  const managers = new Map<string, string[]>();
  for (const ciId of items.keys()) {
    const m = shares.filter((s) => s.ci_id === ciId && s.level === 'manage');
    const people = [
      ...m.flatMap((s) => (s.user_id ? [s.user_id] : [])),
      ...(await teamMembers(
        db,
        m.flatMap((s) => (s.team_id ? [s.team_id] : [])),
      )),
    ];
    managers.set(ciId, [...new Set(people)]);
  }
  return shares.flatMap((s) => {
    const item = items.get(s.ci_id);
    if (!item) return [];
    return [
      {
        ciId: s.ci_id,
        credential: item.name,
        userId: s.user_id,
        teamId: s.team_id,
        level: s.level,
        managerIds: managers.get(s.ci_id) ?? [],
      },
    ];
  });
}

/** Takes a person's or team's share of a credential away, audited; 'already gone' when there was none. */
export async function revokeShare(
  db: Db,
  actor: Actor,
  ciId: string,
  holder: { userId: string } | { teamId: string },
  why: string,
): Promise<'revoked' | 'already gone'> {
  if (!(await repo.removeShare(db, ciId, holder))) return 'already gone';
  await record(db, actor, 'vault.share_revoked', { type: 'ci', id: ciId }, { ...holder }, { why });
  return 'revoked';
}
