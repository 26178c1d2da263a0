import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprint } from './known-hosts.js';

const keyA = randomBytes(51);
const keyB = randomBytes(51);
const b64 = (k: Buffer): string => k.toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('checkHostKey', () => {
  it('trusts plain, bracketed, listed, pattern and hashed entries', () => {
    expect(checkHostKey(`h.example ssh-ed25519 ${b64(keyA)}\n`, 'h.example', 22, keyA)).toBe('trusted');
    expect(checkHostKey(`[h]:2222 ssh-ed25519 ${b64(keyA)}`, 'h', 2222, keyA)).toBe('trusted');
    expect(checkHostKey(`[h]:2222 ssh-ed25519 ${b64(keyA)}`, 'h', 22, keyA)).toBe('unknown');
    expect(checkHostKey(`other,h ssh-ed25519 ${b64(keyA)}`, 'h', 22, keyA)).toBe('trusted');
    expect(checkHostKey(`*.example,!bad.example ssh-ed25519 ${b64(keyA)}`, 'a.example', 22, keyA)).toBe(
      'trusted',
    );
    expect(checkHostKey(`*.example,!bad.example ssh-ed25519 ${b64(keyA)}`, 'bad.example', 22, keyA)).toBe(
      'unknown',
    );
    expect(
      checkHostKey(`${hashed('[10.0.0.1]:2200')} ssh-ed25519 ${b64(keyA)}`, '10.0.0.1', 2200, keyA),
    ).toBe('trusted');
  });

  it('flags changed and revoked keys and ignores comments', () => {
    const kh = `# comment\n\nh ssh-ed25519 ${b64(keyA)} me@laptop\n`;
    expect(checkHostKey(kh, 'h', 22, keyB)).toBe('mismatch');
    expect(checkHostKey(`${kh}@revoked * ssh-ed25519 ${b64(keyA)}\n`, 'h', 22, keyA)).toBe('revoked');
    expect(checkHostKey(`@cert-authority * ssh-ed25519 ${b64(keyA)}\n`, 'h', 22, keyA)).toBe('unknown');
    expect(checkHostKey('', 'h', 22, keyA)).toBe('unknown');
  });

  it('prints OpenSSH-style fingerprints', () => {
    expect(fingerprint(keyA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
