/**
 * Moving a staged restore into place (the agent's restores write into a staging folder first): what is missing
 * moves whole, folders merge, existing files are kept or replaced as asked, failed files stay out, and a
 * discarded restore leaves no folder it made.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discard, moveIntoPlace, prepare } from './restore-place.js';

const root = mkdtempSync(join(tmpdir(), 'steward-restore-place-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A destination with a file and a folder, and a staged restore of the same names and a new one. */
async function scene(name: string) {
  const dest = join(root, name);
  mkdirSync(join(dest, 'Documents'), { recursive: true });
  writeFileSync(join(dest, 'Documents', 'notes.txt'), 'mine');
  utimesSync(join(dest, 'Documents', 'notes.txt'), 2_000_000_000, 2_000_000_000); // newer than the backup
  writeFileSync(join(dest, 'todo.txt'), 'mine too');
  utimesSync(join(dest, 'todo.txt'), 1_000_000_000, 1_000_000_000); // older than the backup
  const { staging, made } = await prepare(dest, 'r1');
  mkdirSync(join(staging, 'Documents', 'new'), { recursive: true });
  writeFileSync(join(staging, 'Documents', 'notes.txt'), 'backup');
  writeFileSync(join(staging, 'Documents', 'new', 'a.txt'), 'a');
  writeFileSync(join(staging, 'Documents', 'broken.txt'), 'half');
  writeFileSync(join(staging, 'todo.txt'), 'backup');
  for (const f of ['Documents/notes.txt', 'todo.txt'])
    utimesSync(join(staging, f), 1_500_000_000, 1_500_000_000);
  return { dest, staging, made, broken: new Set([join(staging, 'Documents', 'broken.txt')]) };
}

describe('moving a staged restore into place', () => {
  it('keeps what is there with never, replaces only older files with if-newer, and everything with always', async () => {
    const never = await scene('never');
    const kept = await moveIntoPlace(never.staging, never.dest, 'never', never.broken);
    expect(kept.skipped.sort()).toEqual([
      join(never.dest, 'Documents', 'notes.txt'),
      join(never.dest, 'todo.txt'),
    ]);
    expect(readFileSync(join(never.dest, 'todo.txt'), 'utf8')).toBe('mine too');
    expect(readFileSync(join(never.dest, 'Documents', 'new', 'a.txt'), 'utf8')).toBe('a');
    // The file that failed stays out, and goes with the staging folder.
    expect(existsSync(join(never.dest, 'Documents', 'broken.txt'))).toBe(false);
    await discard(never.dest, never.staging, never.made);
    expect(readdirSync(never.dest).sort()).toEqual(['Documents', 'todo.txt']);

    const newer = await scene('if-newer');
    const n = await moveIntoPlace(newer.staging, newer.dest, 'if-newer', newer.broken);
    expect(n.skipped).toEqual([join(newer.dest, 'Documents', 'notes.txt')]);
    expect(readFileSync(join(newer.dest, 'todo.txt'), 'utf8')).toBe('backup');

    const always = await scene('always');
    expect((await moveIntoPlace(always.staging, always.dest, 'always', always.broken)).skipped).toEqual([]);
    expect(readFileSync(join(always.dest, 'Documents', 'notes.txt'), 'utf8')).toBe('backup');
  });

  it('leaves no trace of a discarded restore into a folder it created', async () => {
    const dest = join(root, 'fresh', 'Restored files');
    const { staging, made } = await prepare(dest, 'r2');
    writeFileSync(join(staging, 'half.bin'), 'half');
    await discard(dest, staging, made);
    expect(existsSync(join(root, 'fresh'))).toBe(false);
  });
});
