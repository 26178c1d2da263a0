/**
 * The portal's "Get my files back": a person picks one of their own devices, a snapshot and files, and Steward
 * opens a service request for them with a linked restore that the device's agent carries out; the agent's
 * result resolves the ticket. Everything here is about the caller's own devices, whatever their role. The
 * backups and folders to pick from are read through the browse API (browse.service.ts).
 */
import {
  defaultDestination,
  type MyDevice,
  type SelfServiceRestore,
  type SelfServiceResult,
} from '../../../contracts/index.js';
import { NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { computersOwnedBy } from '../cmdb/index.js';
import { createTicketIn } from '../tickets/index.js';
import * as repo from './backup.repository.js';
import { requireSnapshot } from './restores.source.js';
import { checkPaths, insertRequest, viewOf } from './restores.service.js';
import type { TargetDeps } from './targets.service.js';

/** The caller's own computers, and whether each has backups. */
export async function myDevices(deps: TargetDeps, actor: Actor): Promise<MyDevice[]> {
  if (!actor.userId) return [];
  const mine = await computersOwnedBy(deps.ctx, actor.userId);
  const out: MyDevice[] = [];
  for (const d of mine)
    out.push({
      ciId: d.id,
      name: d.name,
      hasBackups: (await repo.repositoryOf(deps.ctx.db, d.id)) !== undefined,
    });
  return out;
}

/** One of the caller's computers by id (404 for anyone else's); its name. */
async function mine(deps: TargetDeps, actor: Actor, ciId: string): Promise<string> {
  if (!actor.userId) throw NotFound('computer');
  const [d] = await computersOwnedBy(deps.ctx, actor.userId, [ciId]);
  if (!d) throw NotFound('computer');
  return d.name;
}

/** Opens the service request and its restore, in one transaction. */
export async function selfServiceRestore(
  deps: TargetDeps,
  actor: Actor,
  input: SelfServiceRestore,
): Promise<SelfServiceResult> {
  const source = await mine(deps, actor, input.ciId);
  const dest = input.destinationCiId ? await mine(deps, actor, input.destinationCiId) : source;
  const paths = checkPaths(input.paths);
  await requireSnapshot(deps, input.ciId, input.snapshotId);
  const folder = input.destinationFolder ?? defaultDestination(paths, new Date());
  const what =
    paths.length === 1
      ? `“${paths[0]}”`
      : `${paths.length} items of “${paths[0]!.replace(/\/[^/]*$/, '') || '/'}”`;
  const { ticket, row } = await deps.ctx.tx(async (db) => {
    const ticket = await createTicketIn(db, actor, {
      type: 'request',
      title: `Get my files back from ${source}`,
      description: [
        `Restore ${what} from the backup of ${source} taken ${input.snapshotId.slice(0, 8)}`,
        `onto ${dest}, into “${folder}” (existing files: ${input.overwrite === 'never' ? 'kept' : input.overwrite === 'if-newer' ? 'replaced when older' : 'replaced'}).`,
        input.note ? `\n${input.note}` : '',
      ].join(' '),
      ciIds: [input.ciId],
      impact: 3,
      urgency: 3,
    });
    const row = await insertRequest(
      db,
      actor,
      {
        sourceCiId: input.ciId,
        snapshotId: input.snapshotId,
        paths,
        destinationCiId: input.destinationCiId ?? input.ciId,
        destinationFolder: folder,
        overwrite: input.overwrite,
        ticketId: ticket.id,
      },
      { source, dest },
    );
    return { ticket, row };
  });
  return { ticketId: ticket.id, ticketKey: ticket.key, restore: await viewOf(deps.ctx, actor, row) };
}
