import { NotFound } from '../../platform/errors.js';
import { allows, can, type Actor, type Permission } from '../../platform/permissions.js';

/**
 * Checks a CMDB permission. A role that may not read the CMDB at all (requesters) is not told what it holds:
 * every CMDB route answers 404 for it (its own items are `GET /api/v1/cis/mine`). A role that reads the CMDB
 * but lacks `permission` (an agent editing classes) gets the usual 403.
 */
export function canCmdb(actor: Actor, permission: Permission): void {
  if (!allows(actor, 'ci:read')) throw NotFound();
  can(actor, permission);
}
