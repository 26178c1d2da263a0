import { can, type Actor, type Permission } from '../../platform/permissions.js';

/**
 * Checks a CMDB permission by the one rule of `can` (platform/permissions.ts): requesters, who may not read the
 * CMDB at all, get 404 on every CMDB route (their own items are `GET /api/v1/cis/mine`); an agent lacking
 * `permission` (editing classes) gets 403.
 */
export function canCmdb(actor: Actor, permission: Permission): void {
  can(actor, permission);
}
