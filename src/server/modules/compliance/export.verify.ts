/**
 * Verifies an audit export (export.service.ts) on its own, without the database: the manifest's signature under
 * the master key's export key, then every file against the manifest (present, same size and SHA-256), and no
 * file the manifest does not list. Each problem is a sentence naming the file.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ExportVerification } from '../../../contracts/index.js';
import { openZip, readEntry, ZipError, zipEntries } from '../exposure/index.js';
import { type Manifest, MANIFEST_FORMAT, signManifest } from './export.service.js';

/** The largest file an export may hold that the verifier reads. */
const MAX_FILE = 2 * 1024 * 1024 * 1024 - 1;

function readManifest(bytes: Buffer): Manifest | string {
  let m: unknown;
  try {
    m = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'manifest.json is not JSON';
  }
  const x = m as Partial<Manifest>;
  if (x.format !== MANIFEST_FORMAT || !Array.isArray(x.files) || !x.framework || !x.period)
    return `manifest.json is not a ${MANIFEST_FORMAT} manifest`;
  const ok = x.files.every(
    (f) =>
      typeof f?.name === 'string' && typeof f.size === 'number' && /^[0-9a-f]{64}$/.test(String(f.sha256)),
  );
  return ok ? (x as Manifest) : 'manifest.json lists a file without a name, size or SHA-256';
}

/** Checks the export at `path` with `key` (the master key's export key). */
export async function verifyExport(path: string, key: Buffer): Promise<ExportVerification> {
  const problems: string[] = [];
  const result = (m: Manifest | null, checked: number): ExportVerification => ({
    ok: problems.length === 0,
    framework: m?.framework.name ?? null,
    period: m ? `${m.period.from} to ${m.period.to}` : null,
    checked,
    problems,
  });
  let fh;
  try {
    fh = await openZip(path);
  } catch (e) {
    problems.push(`cannot open ${path}: ${(e as Error).message}`);
    return result(null, 0);
  }
  try {
    const entries = await zipEntries(fh);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifestEntry = byName.get('manifest.json');
    const sigEntry = byName.get('manifest.sig');
    if (!manifestEntry || !sigEntry) {
      problems.push('the archive has no manifest.json and manifest.sig: it is not a Steward audit export');
      return result(null, 0);
    }
    const manifestBytes = await readEntry(fh, manifestEntry, 64 * 1024 * 1024);
    const sig = (await readEntry(fh, sigEntry, 1024)).toString('utf8').trim();
    const expected = signManifest(key, manifestBytes);
    if (sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected)))
      problems.push(
        'manifest.json was TAMPERED with: its signature does not match (or the export was made with another master key)',
      );
    const manifest = readManifest(manifestBytes);
    if (typeof manifest === 'string') {
      problems.push(manifest);
      return result(null, 0);
    }
    let checked = 0;
    const listed = new Set<string>();
    for (const f of manifest.files) {
      listed.add(f.name);
      const e = byName.get(f.name);
      if (!e) {
        problems.push(`${f.name} is MISSING from the archive`);
        continue;
      }
      checked++;
      let data: Buffer;
      try {
        data = await readEntry(fh, e, MAX_FILE);
      } catch (err) {
        problems.push(`${f.name} cannot be read: ${(err as Error).message}`);
        continue;
      }
      const sha = createHash('sha256').update(data).digest('hex');
      if (data.length !== f.size || sha !== f.sha256)
        problems.push(`${f.name} was TAMPERED with: its SHA-256 is ${sha}, the manifest says ${f.sha256}`);
    }
    for (const e of entries)
      if (!listed.has(e.name) && e.name !== 'manifest.json' && e.name !== 'manifest.sig')
        problems.push(`${e.name} was ADDED: the manifest does not list it`);
    return result(manifest, checked);
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    problems.push(`the archive is damaged: ${e.message}`);
    return result(null, 0);
  } finally {
    await fh.close();
  }
}
