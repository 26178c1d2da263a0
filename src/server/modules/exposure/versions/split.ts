/**
 * The shape dpkg and RPM versions share: `[epoch:]main[-tail]`, split at the first colon and the last dash (the
 * ecosystems differ in what they allow in each part, which their parsers check).
 */
export interface EpochSplit {
  epoch: number;
  main: string;
  /** What follows the last dash; null when there is no dash. */
  tail: string | null;
}

/** Splits a version; null when it is empty, holds white space, or its epoch is not a number up to `maxEpoch`. */
export function splitEpoch(v: string, maxEpoch = Number.MAX_SAFE_INTEGER): EpochSplit | null {
  const s = v.trim();
  if (s === '' || /\s/.test(s)) return null;
  const colon = s.indexOf(':');
  let epoch = 0;
  let rest = s;
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    if (!Number.isSafeInteger(epoch) || epoch > maxEpoch) return null;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, main: rest.slice(0, dash), tail: rest.slice(dash + 1) }
    : { epoch, main: rest, tail: null };
}
