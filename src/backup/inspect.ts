/**
 * `list` and `cat`: the repository's files and objects as restic shows them. `list` names the files of one kind
 * (or, for `blobs`, every indexed blob with its type); `cat` gives one object's plaintext: the config, the master
 * key, a key file, an index, snapshot or lock document, a pack's raw bytes, a blob, or the tree of a snapshot.
 */
import type { FileType } from './backend/backend.js';
import { encodeConfig } from './config.js';
import { masterKeyToJSON } from './crypto.js';
import { BlobNotFoundError } from './errors.js';
import type { Repository } from './repository.js';
import { splitPath } from './walk.js';

/** The kinds `list` takes, with the file kind each lists. */
export const LIST_KINDS = {
  packs: 'pack',
  index: 'index',
  snapshots: 'snapshot',
  keys: 'key',
  locks: 'lock',
} as const satisfies Record<string, Exclude<FileType, 'config'>>;

/** The kinds `cat` takes. */
export const CAT_KINDS = [
  'config',
  'index',
  'snapshot',
  'key',
  'masterkey',
  'lock',
  'pack',
  'blob',
  'tree',
] as const;
/** One of {@link CAT_KINDS}. */
export type CatKind = (typeof CAT_KINDS)[number];

/** Raised for an unknown kind, a missing or ambiguous id: the CLI shows the message. */
export class InspectError extends Error {
  override readonly name = 'InspectError';
}

/** Lines of `list <kind>`: file ids, or `data <id>` / `tree <id>` for `blobs`. */
export async function* listObjects(repo: Repository, kind: string): AsyncGenerator<string> {
  if (kind === 'blobs') {
    for (const e of repo.index.entries()) yield `${e.type} ${e.id}`;
    return;
  }
  const type = (LIST_KINDS as Record<string, Exclude<FileType, 'config'>>)[kind];
  if (!type) throw new InspectError(`invalid type ${JSON.stringify(kind)}`);
  for await (const f of repo.backend.list(type)) yield f.name;
}

/** The full id of the one file of `type` whose name starts with `prefix`. */
export async function resolveFileId(
  repo: Repository,
  type: Exclude<FileType, 'config'>,
  prefix: string,
): Promise<string> {
  const hits: string[] = [];
  for await (const f of repo.backend.list(type)) if (f.name.startsWith(prefix)) hits.push(f.name);
  if (hits.length === 1) return hits[0]!;
  throw new InspectError(
    hits.length ? `multiple IDs with prefix ${prefix} found` : `no matching ID found for prefix ${prefix}`,
  );
}

/** The bytes `cat <kind> [id]` prints. `id` is a (prefix of an) id; for `tree`, `snapshot[:path]`. */
export async function catObject(repo: Repository, kind: CatKind, id = ''): Promise<Buffer> {
  if (kind === 'config') return Buffer.from(encodeConfig(repo.config));
  if (kind === 'masterkey') return Buffer.from(masterKeyToJSON(repo.key));
  if (id === '') throw new InspectError(`type ${kind} needs an ID`);
  switch (kind) {
    case 'key':
      return repo.backend.load({ type: 'key', name: await resolveFileId(repo, 'key', id) });
    case 'index':
    case 'snapshot':
    case 'lock':
      return repo.loadUnpacked(kind, await resolveFileId(repo, kind, id));
    case 'pack':
      return repo.backend.load({ type: 'pack', name: await resolveFileId(repo, 'pack', id) });
    case 'blob':
      for (const t of ['data', 'tree'] as const) if (repo.index.has(t, id)) return repo.loadBlob(t, id);
      throw new BlobNotFoundError('data', id);
    case 'tree':
      return catTree(repo, id);
  }
}

async function catTree(repo: Repository, ref: string): Promise<Buffer> {
  const at = ref.indexOf(':');
  const snap = await repo.findSnapshot(at < 0 ? ref : ref.slice(0, at));
  let tree = snap.tree;
  for (const part of splitPath(at < 0 ? '' : ref.slice(at + 1))) {
    const n = (await repo.loadTree(tree)).nodes.find((x) => x.name.equals(part));
    if (!n?.subtree)
      throw new InspectError(`path ${ref.slice(at + 1)} is not a folder in snapshot ${snap.id}`);
    tree = n.subtree;
  }
  return repo.loadBlob('tree', tree);
}
