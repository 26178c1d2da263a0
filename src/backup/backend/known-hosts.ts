/**
 * OpenSSH `known_hosts` matching for the SFTP backend, so a backup never goes to a server whose host key
 * was not vouched for. Supports plain and hashed (`|1|salt|hash`) host names, `[host]:port` entries,
 * `*`/`?` patterns, `!` negations and `@revoked` markers (`@cert-authority` lines are skipped: no certificates).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What {@link checkHostKey} concluded. */
export type HostKeyVerdict = 'trusted' | 'unknown' | 'revoked' | 'mismatch';

function globToRegExp(p: string): RegExp {
  const esc = p
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, 'i');
}

function hashedMatch(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  const want = Buffer.from(hash, 'base64');
  return want.length === mac.length && timingSafeEqual(want, mac);
}

/** True when the comma-separated host pattern list of a line names `name` (and no negation excludes it). */
function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let hit = false;
  for (const pat of field.split(',')) {
    const neg = pat.startsWith('!');
    if (globToRegExp(neg ? pat.slice(1) : pat).test(name)) {
      if (neg) return false;
      hit = true;
    }
  }
  return hit;
}

/**
 * Checks a server's raw public key blob (as ssh2 hands it over) against known_hosts text.
 * `host`/`port` are what the client connected to; a non-22 port is looked up as `[host]:port`.
 */
export function checkHostKey(knownHosts: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = port === 22 ? host : `[${host}]:${port}`;
  let sawHost = false;
  let trusted = false;
  for (const raw of knownHosts.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    const [hosts, , b64] = fields;
    if (hosts === undefined || b64 === undefined) continue;
    if (marker === '@cert-authority') continue;
    const same = Buffer.from(b64, 'base64').equals(key);
    if (marker === '@revoked') {
      if (same) return 'revoked';
      continue;
    }
    if (!hostsMatch(hosts, name)) continue;
    sawHost = true;
    if (same) trusted = true;
  }
  if (trusted) return 'trusted';
  return sawHost ? 'mismatch' : 'unknown';
}

/** OpenSSH-style fingerprint of a raw public key blob: `SHA256:<base64 without padding>`. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
