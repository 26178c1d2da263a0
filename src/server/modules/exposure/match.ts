/**
 * Whether a version is affected by an advisory's package, by OSV's rules for ECOSYSTEM ranges: walking the
 * range's events in version order, "introduced" at or below the version makes it affected, "fixed" at or below
 * it or "last_affected" below it makes it not; or the version is in the `versions` list. The fixed version
 * offered is the range's next "fixed" above it.
 */
import type { AdvisoryPackage, RangeEvent } from './osv.js';
import type { Ordering } from './versions/index.js';

/** What a match found: affected, and the version that fixes it (null when none is known yet). */
export interface Hit {
  fixed: string | null;
}

function inRange(v: string, events: readonly RangeEvent[], order: Ordering): Hit | undefined {
  let affected = false;
  let i = 0;
  // Events are sorted: apply those at or below the version; the first above it ends the walk.
  for (; i < events.length; i++) {
    const e = events[i]!;
    if ('introduced' in e) {
      if (e.introduced === '0' || order.compare(v, e.introduced) >= 0) affected = true;
      else break;
    } else if ('fixed' in e) {
      if (order.compare(v, e.fixed) >= 0) affected = false;
      else break;
    } else if (order.compare(v, e.last_affected) > 0) affected = false;
    else break;
  }
  if (!affected) return undefined;
  for (; i < events.length; i++) {
    const e = events[i]!;
    if ('fixed' in e) return { fixed: e.fixed };
  }
  return { fixed: null };
}

/** Whether version `v` is affected by `pkg` (undefined when not, or when `v` is not a version of the ordering). */
export function affects(
  pkg: Pick<AdvisoryPackage, 'ranges' | 'versions'>,
  v: string,
  order: Ordering,
): Hit | undefined {
  if (!order.valid(v)) return undefined;
  let hit: Hit | undefined;
  for (const events of pkg.ranges) {
    const h = inRange(v, events, order);
    // Of several ranges, the one offering a fix wins (the lowest fix).
    if (h && (!hit || (h.fixed && (!hit.fixed || order.compare(h.fixed, hit.fixed) < 0)))) hit = h;
  }
  if (hit) return hit;
  return pkg.versions.some((x) => x === v || (order.valid(x) && order.compare(x, v) === 0))
    ? { fixed: null }
    : undefined;
}
