/** Strong passwords, made on the server with node:crypto's uniform random integers. */
import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '../../../contracts/index.js';
import { Invalid } from '../../platform/errors.js';

const SETS = {
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&*+-=?@^_~.,:;()[]{}<>/|',
} as const;
const AMBIGUOUS = /[0Oo1lI|]/g;

/**
 * A password following `policy`: at least one character of each chosen set, the rest drawn uniformly from all of
 * them, then shuffled (Fisher-Yates with `randomInt`, so no modulo bias anywhere).
 */
export function generatePassword(policy: PasswordPolicy): string {
  const sets = (Object.keys(SETS) as (keyof typeof SETS)[])
    .filter((k) => policy[k])
    .map((k) => (policy.avoidAmbiguous ? SETS[k].replace(AMBIGUOUS, '') : SETS[k]));
  if (sets.length === 0)
    throw Invalid('choose at least one kind of character', [
      { path: 'lowercase', message: 'at least one of lowercase, uppercase, digits or symbols' },
    ]);
  if (policy.length < sets.length)
    throw Invalid(`a password of ${policy.length} characters cannot hold every kind chosen`);
  const all = sets.join('');
  const pick = (s: string) => s[randomInt(s.length)]!;
  const chars = sets.map(pick);
  while (chars.length < policy.length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
