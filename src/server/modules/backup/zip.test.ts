/**
 * The streaming ZIP writer, checked by `unzip -t` and Python's zipfile (real readers, not ours): UTF-8 names,
 * empty files and folders, data descriptors, ZIP64 fields for an entry declared at 4 GiB or more, the ZIP64
 * end records past 65,535 entries, and the central directory spilled to a temporary file.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { hasProgram, requireComponent } from '../../../../test/support/requires.js';
import { type ZipEntry, zipReadable } from './zip.js';

const haveTools = requireComponent(
  'zip writer',
  hasProgram('unzip', ['-v']) && hasProgram('python3', ['--version']),
  'unzip or python3 not installed',
);

const dir = mkdtempSync(join(tmpdir(), 'steward-zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(name: string, entries: Iterable<ZipEntry>, spillAt?: number): Promise<string> {
  const file = join(dir, name);
  await pipeline(zipReadable(entries, spillAt === undefined ? {} : { spillAt }), createWriteStream(file));
  return file;
}

/** What Python's zipfile reads: each entry's name, size, SHA-256 and modification time. */
function pythonList(
  file: string,
): Record<string, { size: number; sha: string; dir: boolean; time: number[] }> {
  const r = spawnSync(
    'python3',
    [
      '-c',
      `import zipfile, hashlib, json, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: {"size": i.file_size, "sha": hashlib.sha256(z.read(i)).hexdigest(), "dir": i.is_dir(), "time": list(i.date_time)} for i in z.infolist()}))`,
      file,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof pythonList>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function* chunks(b: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe.runIf(haveTools)('the streaming zip writer', () => {
  it('writes names, folders, empty and multi-chunk files that unzip and Python read back', async () => {
    const big = Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.alloc(2 * 1024 * 1024, 'a')]);
    const mtime = new Date(2024, 4, 17, 13, 45, 30);
    function* entries(): Generator<ZipEntry> {
      yield { name: 'top/', type: 'dir', mtime };
      yield { name: 'top/Фото/', type: 'dir', mtime };
      yield { name: 'top/empty', type: 'dir', mtime };
      yield {
        name: 'top/Фото/кот – 1.jpg',
        type: 'file',
        mtime,
        size: big.length,
        data: () => chunks(big, 1 << 20),
      };
      yield { name: 'top/zero.txt', type: 'file', mtime, size: 0, data: () => chunks(Buffer.alloc(0), 1) };
      yield {
        name: 'top/old.txt',
        type: 'file',
        mtime: new Date(1970, 0, 2),
        data: () => chunks(Buffer.from('x'), 1),
      };
    }
    const file = await write('plain.zip', entries());
    const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(t.stdout).toMatch(/No errors detected/);
    const list = pythonList(file);
    expect(Object.keys(list)).toEqual([
      'top/',
      'top/Фото/',
      'top/empty/',
      'top/Фото/кот – 1.jpg',
      'top/zero.txt',
      'top/old.txt',
    ]);
    expect(list['top/Фото/кот – 1.jpg']).toEqual({
      size: big.length,
      sha: sha(big),
      dir: false,
      time: [2024, 5, 17, 13, 45, 30],
    });
    expect(list['top/zero.txt']!.size).toBe(0);
    expect(list['top/empty/']!.dir).toBe(true);
    // Before 1980 (the DOS epoch): clamped, not wrapped.
    expect(list['top/old.txt']!.time.slice(0, 3)).toEqual([1980, 1, 1]);
  });

  it('uses ZIP64 for an entry declared at 4 GiB or more, and past 65,535 entries', async () => {
    const n = 70_000;
    const mtime = new Date();
    const payload = randomBytes(10_000);
    function* entries(): Generator<ZipEntry> {
      // Declared huge (as a 5 GiB file would be): ZIP64 local header and data descriptor.
      yield {
        name: 'declared-huge.bin',
        type: 'file',
        mtime,
        size: 5 * 1024 ** 3,
        data: () => chunks(payload, 4096),
      };
      for (let i = 0; i < n; i++) yield { name: `d/${i}/`, type: 'dir', mtime };
    }
    // A small spill threshold: the central directory goes through a temporary file.
    const file = await write('zip64.zip', entries(), 64 * 1024);
    const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(t.stdout).toMatch(/No errors detected/);
    const list = pythonList(file);
    expect(Object.keys(list)).toHaveLength(n + 1);
    expect(list['declared-huge.bin']).toMatchObject({ size: payload.length, sha: sha(payload) });
    expect(list[`d/${n - 1}/`]!.dir).toBe(true);
    // The ZIP64 end of central directory record and its locator are there.
    const raw = readFileSync(file);
    expect(raw.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    expect(raw.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBeGreaterThan(0);
  });

  it('ends the archive with the error of an entry whose data fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield await Promise.resolve(Buffer.from('part'));
      throw new Error('blob missing');
    }
    function* entries(): Generator<ZipEntry> {
      yield { name: 'a.txt', type: 'file', mtime: new Date(), data: failing };
    }
    await expect(write('fail.zip', entries())).rejects.toThrow(/blob missing/);
  });
  it('keeps memory flat however much it zips: entries stream through, the directory spills to disk', async () => {
    const mib = 1024 * 1024;
    function* entries(): Generator<ZipEntry> {
      for (let f = 0; f < 4; f++)
        yield {
          name: `big-${f}.bin`,
          type: 'file',
          mtime: new Date(),
          size: 64 * mib,
          data: function* () {
            for (let i = 0; i < 64; i++) yield Buffer.alloc(mib, i);
          },
        };
      for (let i = 0; i < 50_000; i++) yield { name: `many/${i}/`, type: 'dir', mtime: new Date() };
    }
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    for await (const chunk of zipReadable(entries(), { spillAt: 256 * 1024 }) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(bytes).toBeGreaterThan(50_000 * 46);
    // 256 MiB of file data and 50,000 entries went through; the process grew by far less than either.
    expect(peak - before).toBeLessThan(96 * mib);
  });
});
