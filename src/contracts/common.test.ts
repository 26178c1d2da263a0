// The shared e-mail rule: RFC 5321's lengths (local part 64, domain 255, whole address 254) hold everywhere
// an address is taken (users, sign-in, mail settings), because every schema uses this one.
import { describe, expect, it } from 'vitest';
import { Email } from './common.js';

describe('Email', () => {
  const label = (n: number) => 'a'.repeat(n);

  it('accepts addresses at the limits, lower-cased', () => {
    expect(Email.parse(`${label(64)}@Example.COM`)).toBe(`${label(64)}@example.com`);
    const domain = `${label(63)}.${label(63)}.${label(63)}.${label(50)}.com`; // 246 characters
    expect(Email.safeParse(`abcdefg@${domain}`).success).toBe(true); // 254 in all
  });

  it('refuses a local part over 64 characters, and says so', () => {
    const r = Email.safeParse(`${label(65)}@example.com`);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('the part before @ must be at most 64 characters');
  });

  it('refuses an address over 254 characters, or a domain label over 63', () => {
    const domain = `${label(63)}.${label(63)}.${label(63)}.${label(60)}.com`;
    expect(Email.safeParse(`x@${domain}`).success).toBe(false);
    expect(Email.safeParse(`x@${label(64)}.com`).success).toBe(false);
  });
});
