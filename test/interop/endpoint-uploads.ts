/**
 * Uploads to Steward's backup endpoint over real HTTP, for the streaming tests: a generated pack of any size
 * sent in pieces (never held whole in this process), and an upload cut off mid-stream by closing the socket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** A pack of `size` bytes generated piece by piece from one random MiB, and its SHA-256 (its name). */
export function generatedPack(size: number): { name: string; pieces: () => Generator<Buffer> } {
  const block = randomBytes(1024 * 1024);
  function* pieces(): Generator<Buffer> {
    for (let off = 0, i = 0; off < size; off += block.length, i++) {
      const piece = Buffer.from(block.subarray(0, Math.min(block.length, size - off)));
      piece.writeUInt32BE(i, 0); // every MiB differs
      yield piece;
    }
  }
  const hash = createHash('sha256');
  for (const p of pieces()) hash.update(p);
  return { name: hash.digest('hex'), pieces };
}

/** Where and as whom to upload. */
export interface Endpoint {
  base: string;
  ciId: string;
  token: string;
}

/**
 * POSTs `data/<name>` with Content-Length `length` and the given pieces, honouring back-pressure. With `cutAfter`,
 * the socket is destroyed once that many bytes are sent (a client that went away); resolves with the status
 * (0 when cut).
 */
export function upload(
  e: Endpoint,
  name: string,
  length: number,
  pieces: Iterable<Buffer>,
  cutAfter?: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${e.base}/api/v1/backup/devices/${e.ciId}/data/${name}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${e.token}`,
        'content-type': 'application/octet-stream',
        'content-length': length,
      },
    });
    let sent = 0;
    let cut = false;
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err) => (cut ? resolve(0) : reject(err)));
    void (async () => {
      for (const p of pieces) {
        if (cutAfter !== undefined && sent + p.length > cutAfter) {
          req.write(p.subarray(0, cutAfter - sent));
          await new Promise((r) => setTimeout(r, 300)); // let the server start storing it
          cut = true;
          req.destroy();
          return;
        }
        sent += p.length;
        if (!req.write(p)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

/** Files under `dir` (recursively) whose name starts with `prefix`. */
export function filesNamed(dir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.startsWith(prefix)) out.push(join(e.parentPath, e.name));
  return out;
}

/** Polls `check` until it holds (or `ms` pass), then returns its last answer. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
