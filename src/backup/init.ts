/**
 * `init`: creates a new repository that restic can open: folder structure, a key file for the
 * password, and the encrypted config with a fresh random chunker polynomial.
 */
import type { Backend } from './backend/backend.js';
import { newConfig, saveConfig } from './config.js';
import type { RepoConfig } from './config.js';
import { newMasterKey } from './crypto.js';
import type { KdfParams } from './keys.js';
import { addKey } from './keys.js';
import { Repository } from './repository.js';

/** Options of {@link initRepository}. */
export interface InitOptions {
  /** Repository version (default 2: compression). */
  version?: 1 | 2;
  /** scrypt parameters of the first key (default: keys.ts DEFAULT_KDF; the CLI calibrates like restic). */
  kdf?: KdfParams;
  /** Reuse a chunker polynomial (restic's `--copy-chunker-params`), so dedup works across repositories. */
  chunkerPolynomial?: bigint;
}

/** Raised when the location already holds a repository. */
export class RepositoryExistsError extends Error {
  override readonly name = 'RepositoryExistsError';
}

/** Creates the repository and returns it opened (empty index). */
export async function initRepository(
  backend: Backend,
  password: string | Buffer,
  opts: InitOptions = {},
): Promise<Repository> {
  if (await backend.exists({ type: 'config', name: '' }).catch(() => false)) {
    throw new RepositoryExistsError(
      `config file already exists at ${backend.location}: a repository is there`,
    );
  }
  await backend.create();
  const config: RepoConfig = newConfig(opts.version ?? 2);
  if (opts.chunkerPolynomial !== undefined) config.chunkerPolynomial = opts.chunkerPolynomial;
  const key = newMasterKey();
  // Key first, config last: a repository without config is not "initialised", so an interrupted
  // init can simply be repeated.
  const keyId = await addKey(backend, key, password, opts.kdf ? { kdf: opts.kdf } : {});
  await saveConfig(backend, key, config);
  return new Repository(backend, key, keyId, config);
}
