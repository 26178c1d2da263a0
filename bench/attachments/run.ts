/**
 * `npm run bench:attachments`: peak memory of a real Steward server process while it takes several large
 * attachment uploads at once. The server runs as its own process (so the client's buffers do not count);
 * its peak resident set is read from /proc/<pid>/status (VmHWM) after the uploads, beside its resident set
 * before them. The client streams each body from one repeated 1 MiB random block, never holding a file.
 *
 *   npm run bench:attachments -- [--db pglite|postgres] [--files 4] [--mb 260] [--bin <checkout>/bin/steward.js]
 *
 * `--bin` runs another checkout's server (say, the commit before a change) for a before/after comparison.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { startTestServer } from '../../test/support/server.js';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    files: { type: 'string', default: '4' },
    mb: { type: 'string', default: '260' },
    bin: { type: 'string' },
  },
});
const files = Number(a.files);
const bytes = Number(a.mb) * 1024 * 1024;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** A kernel figure (kB) of a process's /proc/<pid>/status, in MiB. */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

/** `size` bytes of one repeated random block, as a stream. */
function body(size: number): Readable {
  const block = randomBytes(1024 * 1024);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < size; sent += block.length)
        yield block.subarray(0, Math.min(block.length, size - sent));
    })(),
  );
}

/** Uploads one file of `size` bytes to a ticket as a multipart body; resolves with the status code. */
function upload(url: string, ticketId: string, auth: Record<string, string>, size: number): Promise<number> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/tickets/${ticketId}/attachments`,
      {
        method: 'POST',
        headers: {
          ...auth,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(head.length + size + tail.length),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(head);
    const data = body(size);
    data.pipe(req, { end: false });
    data.on('end', () => req.end(tail));
  });
}

const server = await startTestServer({
  databaseUrl:
    a.db === 'postgres' ? process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres' : '',
  env: {
    STEWARD_ATTACHMENT_MAX_BYTES: String(bytes + 1024),
    STEWARD_ATTACHMENT_TICKET_TOTAL_BYTES: String(files * bytes * 2),
    STEWARD_ATTACHMENT_USER_TOTAL_BYTES: String(files * bytes * 2),
    STEWARD_JOBS: 'off',
    LOG_LEVEL: 'warn',
  },
  ...(a.bin ? { bin: a.bin } : {}),
});
try {
  const pid = server.process.pid ?? 0;
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const auth = {
    cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    'X-CSRF-Token': csrfToken,
  };
  const ticket = (await (
    await fetch(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'incident', title: 'bench: large attachments' }),
    })
  ).json()) as { id: string };
  const before = memory(pid, 'VmRSS');
  const started = performance.now();
  const codes = await Promise.all(
    Array.from({ length: files }, () => upload(server.url, ticket.id, auth, bytes)),
  );
  const seconds = (performance.now() - started) / 1000;
  const peak = memory(pid, 'VmHWM');
  log(`statuses: ${codes.join(' ')}`);
  const row = {
    db: a.db,
    files,
    mbEach: Number(a.mb),
    rssBeforeMiB: Math.round(before),
    peakRssMiB: Math.round(peak),
    seconds: Number(seconds.toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
} finally {
  await server.stop();
}
