import { dictionary } from '@zxcvbn-ts/language-common';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** zxcvbn-ts's ranked list of the ~49,000 commonest passwords (a maintained list), made a set on first use. */
let ranked: ReadonlySet<string> | undefined;
const commonest = (): ReadonlySet<string> =>
  (ranked ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())));

/** Who the password is for: their own e-mail and name are easy guesses too. */
export interface PasswordOwner {
  email?: string | undefined;
  name?: string | undefined;
}

/** Look-alike characters read as the letters they stand for ("p@ssw0rd" is "password"). */
const LOOK_ALIKES: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};

/** Keyboard rows and the alphabet: a password walked along one of them (either way) is guessed early. */
const WALKS = [
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyz',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'zaq1xsw2cde3vfr4bgt5nhy6mju7',
  '1q2w3e4r5t6y7u8i9o0p',
];
const WALKS_BOTH_WAYS = [...WALKS, ...WALKS.map((w) => [...w].reverse().join(''))];

const deLeet = (s: string) => [...s].map((c) => LOOK_ALIKES[c] ?? c).join('');

/** The forms of a password looked up in the common list: as typed, with the digits and symbols around it cut. */
function stems(folded: string): string[] {
  const bare = folded.replace(/^[^a-z]+|[^a-z]+$/g, '');
  return [folded, deLeet(folded), bare, deLeet(bare), deLeet(folded).replace(/^[^a-z]+|[^a-z]+$/g, '')];
}

/** True when `s` is one short unit repeated ("abcabcabc", "passpass"). */
function repeated(s: string): boolean {
  return /^(.{1,}?)\1+$/u.test(s);
}

/** True when `s` is made only of runs of three or more characters along a keyboard row or the alphabet. */
function walked(s: string): boolean {
  let i = 0;
  while (i < s.length) {
    let best = 0;
    for (const w of WALKS_BOTH_WAYS) {
      for (let len = s.length - i; len > best && len >= 3; len--) {
        if (w.includes(s.slice(i, i + len))) {
          best = len;
          break;
        }
      }
    }
    if (best < 3) return false;
    i += best;
  }
  return true;
}

/** The words of the owner's e-mail and name (3+ characters), which a password should not be built from. */
function ownerWords(owner: PasswordOwner): string[] {
  const local = owner.email?.split('@')[0] ?? '';
  const parts = [local, ...`${local} ${owner.name ?? ''}`.split(/[^\p{L}\p{N}]+/u)];
  return parts.map((p) => p.toLowerCase()).filter((p) => p.length >= 3);
}

/**
 * Why a password is too easy to guess, or undefined when it is acceptable. Length (12 to 512) is checked
 * by the contracts; this refuses what a length rule lets through: the commonest passwords and their
 * decorated forms ("Sunshine2024!", "p@ssw0rd123"), one unit repeated, few distinct characters, keyboard
 * walks and sequences, and passwords built from the owner's own e-mail or name.
 */
export function passwordWeakness(password: string, owner: PasswordOwner = {}): string | undefined {
  const folded = password
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s._-]+/g, '');
  if (stems(folded).some((s) => COMMON_PASSWORDS.has(s) || commonest().has(s)) || folded === '') {
    return 'is one of the most common passwords';
  }
  if (new Set(folded).size < 5 || repeated(folded)) return 'repeats too few characters';
  if (walked(folded)) return 'is a keyboard pattern or sequence';
  let rest = folded;
  for (const w of ownerWords(owner)) rest = rest.split(w).join('');
  if (rest !== folded && rest.replace(/[^\p{L}]/gu, '').length < 4) {
    return 'is built from your e-mail address or name';
  }
  return undefined;
}
