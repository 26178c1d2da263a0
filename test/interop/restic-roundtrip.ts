/**
 * restic <-> Steward backend round trip: restic backs a small tree up into a local repository, every file
 * of it is copied into a fresh remote repository through a Steward backend, and then real restic runs
 * `check --read-data`, `restore` and another `backup` against the remote; the backend must list what restic wrote.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { Backend, FileHandle, FileType } from '../../src/backup/backend/backend.js';
import { tempDir } from './backend-servers.js';

const run = promisify(execFile);

/** Runs restic (asynchronously, so in-process servers keep serving) and returns its stdout. */
export async function restic(
  repo: string,
  args: string[],
  env: Record<string, string>,
  extra: string[] = [],
): Promise<string> {
  try {
    const out = await run('restic', ['-r', repo, '--no-cache', ...extra, ...args], {
      env: {
        ...process.env,
        ...env,
        RESTIC_PASSWORD: 'interop-pw',
        RESTIC_PASSWORD_FILE: '',
        RESTIC_REPOSITORY: '',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`restic ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** A small tree with a multi-chunk file, small files, an empty file, a subfolder and a symlink. */
export function makeTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>([
    ['big.bin', randomBytes(3 * 1024 * 1024 + 17)],
    ['a.txt', Buffer.from('hello restic\n')],
    ['empty', Buffer.alloc(0)],
    ['sub/deeper/b.txt', Buffer.from('nested\n'.repeat(100))],
  ]);
  for (const [rel, data] of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
  symlinkSync('a.txt', join(dir, 'link'));
  return files;
}

function handleFor(rel: string): FileHandle | undefined {
  const parts = rel.split('/');
  const name = parts[parts.length - 1] ?? '';
  const kinds: Record<string, FileType> = {
    keys: 'key',
    snapshots: 'snapshot',
    index: 'index',
    data: 'pack',
  };
  if (rel === 'config') return { type: 'config', name: '' };
  const type = kinds[parts[0] ?? ''];
  return type ? { type, name } : undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The whole round trip; `repo` is the restic location of the backend's repository. */
export async function resticCopyRoundTrip(
  b: Backend,
  repo: string,
  env: Record<string, string>,
  extra: string[] = [],
): Promise<void> {
  const work = tempDir('roundtrip');
  try {
    const src = join(work, 'src');
    mkdirSync(src);
    const files = makeTree(src);
    const local = join(work, 'local-repo');
    await restic(local, ['init'], {});
    await restic(local, ['backup', '--host', 'interop', src], {});

    await b.create();
    let packs = 0;
    for (const rel of walk(local)) {
      const h = handleFor(rel);
      if (!h) continue;
      if (h.type === 'pack') packs++;
      await b.save(h, readFileSync(join(local, rel)));
    }
    const listed: string[] = [];
    for await (const f of b.list('pack')) listed.push(f.name);
    expect(listed.length).toBe(packs);

    expect(await restic(repo, ['check', '--read-data'], env, extra)).toContain('no errors were found');
    const out = join(work, 'restored');
    await restic(repo, ['restore', 'latest', '--target', out], env, extra);
    for (const [rel, data] of files) expect(readFileSync(join(out, src, rel)).equals(data)).toBe(true);

    // restic writes into the layout the backend created, and the backend sees what it wrote.
    writeFileSync(join(src, 'new.txt'), 'added later\n');
    await restic(repo, ['backup', '--host', 'interop', src], env, extra);
    const snaps: string[] = [];
    for await (const f of b.list('snapshot')) snaps.push(f.name);
    expect(snaps.length).toBe(2);
    const ids = (await restic(repo, ['list', 'snapshots'], env, extra)).trim().split('\n').sort();
    expect(snaps.sort()).toEqual(ids);
  } finally {
    await b.close();
    rmSync(work, { recursive: true, force: true });
  }
}
