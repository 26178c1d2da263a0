/**
 * Test fixtures that make repository storage fail on purpose, for the backup failure tests:
 * - {@link FailingBackend}: a {@link Backend} decorator that fails chosen pack writes (only tests use it);
 * - {@link startFailingProxy}: a real HTTP proxy in front of a real REST server (`rclone serve restic`)
 *   that answers 500 to chosen uploads of data packs and forwards everything else unchanged.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  Backend,
  ByteStream,
  FileHandle,
  FileInfo,
  FileType,
} from '../../src/backup/backend/backend.js';

/**
 * Decides whether one upload of a data pack fails. `pack` numbers the distinct packs in the order their
 * first upload arrived (1-based); `attempt` counts the uploads of this pack (1-based, retries included).
 */
export type FailRule = (pack: number, attempt: number) => boolean;

/** Fail every upload of the nth pack (a pack that can never be stored). */
export const failPack =
  (n: number): FailRule =>
  (pack) =>
    pack === n;
/** Fail every upload of every pack. */
export const failAllPacks: FailRule = () => true;
/** Fail the first `times` uploads of every pack, then let it through (a transient outage). */
export const failFirstAttempts =
  (times: number): FailRule =>
  (_pack, attempt) =>
    attempt <= times;

/** Counts distinct packs and attempts per pack, and applies a {@link FailRule}. */
class PackCounter {
  private readonly order = new Map<string, number>();
  private readonly attempts = new Map<string, number>();
  /** Packs whose upload was refused at least once. */
  readonly refused = new Set<string>();

  constructor(private readonly rule: FailRule) {}

  /** True when this upload of pack `name` must fail. */
  shouldFail(name: string): boolean {
    if (!this.order.has(name)) this.order.set(name, this.order.size + 1);
    const attempt = (this.attempts.get(name) ?? 0) + 1;
    this.attempts.set(name, attempt);
    const fail = this.rule(this.order.get(name)!, attempt);
    if (fail) this.refused.add(name);
    return fail;
  }
}

/** A backend whose pack writes fail by a {@link FailRule}, like a disk that fails one write. Test fixture only. */
export class FailingBackend implements Backend {
  private readonly packs: PackCounter;

  constructor(
    private readonly inner: Backend,
    rule: FailRule,
    private readonly error: () => Error = () =>
      Object.assign(new Error('no space left on device (injected by the test)'), { code: 'ENOSPC' }),
  ) {
    this.packs = new PackCounter(rule);
  }

  /** Packs whose write was refused. */
  get refused(): Set<string> {
    return this.packs.refused;
  }

  get location(): string {
    return this.inner.location;
  }

  create(): Promise<void> {
    return this.inner.create();
  }

  async save(h: FileHandle, data: Uint8Array): Promise<void> {
    if (h.type === 'pack' && this.packs.shouldFail(h.name)) throw this.error();
    return this.inner.save(h, data);
  }

  async saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
    if (h.type === 'pack' && this.packs.shouldFail(h.name)) throw this.error();
    return this.inner.saveStream(h, data, length);
  }

  load(h: FileHandle, offset?: number, length?: number): Promise<Buffer> {
    return this.inner.load(h, offset, length);
  }

  stat(h: FileHandle): Promise<FileInfo> {
    return this.inner.stat(h);
  }

  remove(h: FileHandle): Promise<void> {
    return this.inner.remove(h);
  }

  list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo> {
    return this.inner.list(type);
  }

  exists(h: FileHandle): Promise<boolean> {
    return this.inner.exists(h);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A running proxy: its port, the packs it refused, and how to stop it. */
export interface FailingProxy {
  port: number;
  /** Data packs whose upload got a 500 at least once. */
  refused: Set<string>;
  /** Uploads of data packs answered with 500 so far. */
  failures(): number;
  stop(): Promise<void>;
}

/**
 * Starts an HTTP proxy on a free loopback port that forwards every request to the REST server on
 * `targetPort`, except uploads (`POST /data/<id>`) that `rule` fails: those get "500 Internal Server Error"
 * without reaching the server.
 */
export async function startFailingProxy(targetPort: number, rule: FailRule): Promise<FailingProxy> {
  const packs = new PackCounter(rule);
  let failures = 0;
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const up = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };
  const server = createServer((req, res) => {
    const m = /^\/(?:.*\/)?data\/([0-9a-f]{64})$/.exec(req.url ?? '');
    if (req.method === 'POST' && m && packs.shouldFail(m[1]!)) {
      failures++;
      // Read the body first, as a real server would, so the client sees the answer and not a reset.
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('injected failure\n');
      });
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    refused: packs.refused,
    failures: () => failures,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
