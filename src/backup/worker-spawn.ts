/** Starting worker threads from both built code (dist/*.js) and TypeScript sources (tsx, vitest). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits beside `importMetaUrl`. Under tsx or
 * vitest the sources are .ts files, which a bare worker cannot load, so the worker first registers
 * tsx's loader and then imports its entry; built code loads the entry directly.
 */
export function spawnWorker(importMetaUrl: string, name: string, workerData?: unknown): Worker {
  const ts = importMetaUrl.endsWith('.ts');
  const url = new URL(`./${name}${ts ? '.ts' : '.js'}`, importMetaUrl);
  if (!ts) return new Worker(url, { workerData });
  // Resolved here: an eval'd worker would look for tsx from the working folder, which may be anywhere.
  const pkg = createRequire(importMetaUrl).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
    { eval: true, workerData },
  );
}

/**
 * True when the worker module `name` exists beside `importMetaUrl`. A bundle (one .js file) may not
 * ship it; callers then do the work on the calling thread instead of failing.
 */
export function workerAvailable(importMetaUrl: string, name: string): boolean {
  const ts = importMetaUrl.endsWith('.ts');
  try {
    return existsSync(fileURLToPath(new URL(`./${name}${ts ? '.ts' : '.js'}`, importMetaUrl)));
  } catch {
    return false;
  }
}
