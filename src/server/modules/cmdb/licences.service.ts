import type { LicenceCompliance } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import * as repo from './cmdb.repository.js';
import { inRange } from './versions.js';

/**
 * Licence compliance: per licence, the seats bought against the installations found of its product in its
 * version range (each installation counts once, for the first licence of its product whose range holds it,
 * licences in name order), and per product the installations no licence covers.
 */
export async function licenceCompliance(ctx: Ctx, actor: Actor): Promise<LicenceCompliance> {
  canCmdb(actor, 'ci:read');
  const lics = await repo.licences(ctx.db);
  const counts = await repo.installationCounts(ctx.db);
  const used = new Map<string, number>(lics.map((l) => [l.id, 0]));
  const unlicensed = new Map<string, { product: string; versions: Map<string, number> }>();
  for (const c of counts) {
    const n = Number(c.n);
    const lic = lics.find(
      (l) => (l.product ?? '').toLowerCase() === c.product && inRange(c.version, l.versions),
    );
    if (lic) used.set(lic.id, used.get(lic.id)! + n);
    else {
      let u = unlicensed.get(c.product);
      if (!u) unlicensed.set(c.product, (u = { product: c.product, versions: new Map() }));
      u.versions.set(c.version ?? '', (u.versions.get(c.version ?? '') ?? 0) + n);
    }
  }
  const licencesOut = lics.map((l) => {
    const seats = Number(l.seats ?? 0);
    const installed = used.get(l.id)!;
    return {
      licenceId: l.id,
      name: l.name,
      product: l.product ?? '',
      versions: l.versions ?? '*',
      seats,
      installed,
      state:
        installed > seats ? ('over' as const) : installed < seats ? ('under' as const) : ('exact' as const),
      difference: installed - seats,
    };
  });
  return {
    licences: licencesOut,
    unlicensed: [...unlicensed.values()]
      .map((u) => ({
        product: u.product,
        installed: [...u.versions.values()].reduce((a, b) => a + b, 0),
        versions: [...u.versions.entries()].map(([version, n]) => ({
          version: version || null,
          installed: n,
        })),
      }))
      .sort((a, b) => a.product.localeCompare(b.product)),
  };
}
