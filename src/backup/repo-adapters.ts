/**
 * Glue between an opened {@link Repository} and the write-path components, which take small
 * interfaces (so they can be tested with fakes and do not depend on how the repository is opened).
 */
import type { LockRepo } from './lock.js';
import type { PackerTarget } from './packer.js';
import type { Repository } from './repository.js';

/** The repository as the blob saver sees it; newly indexed packs are added to the repository's index. */
export function packerTarget(repo: Repository): PackerTarget {
  return {
    backend: repo.backend,
    key: repo.key,
    version: repo.version,
    hasBlob: (type, id) => repo.index.has(type, id),
    saveIndexJson: (json) => repo.saveUnpacked('index', json),
    onPacksIndexed: (packs) => {
      for (const p of packs) for (const b of p.blobs) repo.index.add(p.id, b);
    },
  };
}

/** The repository as lock handling sees it. */
export function lockTarget(repo: Repository): LockRepo {
  return {
    backend: repo.backend,
    saveLockFile: (json) => repo.saveUnpacked('lock', json),
    loadLockFile: async (id) => (await repo.loadUnpacked('lock', id)).toString('utf8'),
  };
}
