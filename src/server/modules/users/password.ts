import { Invalid } from '../../platform/errors.js';
import { passwordWeakness, type PasswordOwner } from '../../platform/password-policy.js';
import { hashPassword } from '../../platform/passwords.js';

/** Hashes a new password once the policy accepts it for its owner. */
export async function strongHash(password: string, owner: PasswordOwner): Promise<string> {
  const weakness = passwordWeakness(password, owner);
  if (weakness) {
    throw Invalid('the password is too easy to guess', [{ path: 'body.password', message: weakness }]);
  }
  return hashPassword(password);
}
