/** How long a copied secret stays on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 30_000;

/**
 * Copies `secret` and clears the clipboard `CLIPBOARD_CLEAR_MS` later, unless something else was copied in the
 * meantime (when the browser lets us read it back; when it does not, it clears anyway: a secret must not linger).
 */
export async function copySecret(secret: string, onCleared: () => void): Promise<void> {
  await navigator.clipboard.writeText(secret);
  window.setTimeout(() => {
    void (async () => {
      let now: string | null = null;
      try {
        now = await navigator.clipboard.readText();
      } catch {
        now = null;
      }
      if (now === null || now === secret) await navigator.clipboard.writeText('').catch(() => undefined);
      onCleared();
    })();
  }, CLIPBOARD_CLEAR_MS);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "3 min ago", "2 days ago". */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return relative.format(s, 'second');
  if (abs < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(s / 3600), 'hour');
  return relative.format(Math.round(s / 86_400), 'day');
}
