/**
 * A private, throw-away Postfix + Dovecot pair for the mail interop tests. Nothing of the system's mail setup is
 * touched: both run from a fresh temporary folder with their own configuration, queue, state and sockets, on free
 * loopback ports, so several test files (and a system Postfix on port 25) can run side by side.
 *
 * - Postfix: `master -c <dir>/postfix -d` (the master daemon in the foreground, as our child) with its own
 *   queue_directory, data_directory and instance name. Mail for the test domain's users goes through virtual(8)
 *   into `<dir>/mail/<local part>/Maildir/`. Mail for any other domain is accepted and then returned as a real
 *   delivery status notification (see default_transport), so nothing ever leaves the machine.
 * - Dovecot: `dovecot -F -c <dir>/dovecot/dovecot.conf`, IMAP only, no TLS, plaintext logins allowed, a
 *   passwd-file with `{PLAIN}` passwords, the same Maildirs.
 * Delivered files belong to `nobody`, so no system user is created. Both daemons need root (they switch to their
 * own accounts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireComponent } from './requires.js';
import { freePort } from './server.js';

export { freePort };

/** A mailbox on the test servers: its address, and the password Dovecot accepts for it. */
export interface MailUser {
  address: string;
  password: string;
}

/** A running Postfix + Dovecot pair. */
export interface MailServers {
  /** Postfix's smtpd on 127.0.0.1 (no TLS, no auth; accepts mail from 127.0.0.0/8 for any domain). */
  smtpPort: number;
  /** Dovecot's IMAP on 127.0.0.1 (no TLS, plaintext LOGIN / AUTH=PLAIN). */
  imapPort: number;
  /** The domain delivered locally, `steward.test`. */
  domain: string;
  /** Largest message Postfix accepts (its message_size_limit), in bytes. */
  messageSizeLimit: number;
  /** The users created so far (two at start). */
  users: MailUser[];
  /** The temporary folder holding both configurations, the queue and the Maildirs. */
  dir: string;
  /** Creates a mailbox; the local part defaults to a random one, the password to a random string. */
  addUser(localPart?: string, password?: string): Promise<MailUser>;
  /** Messages delivered into a user's Maildir so far (new and cur), read from disk. */
  deliveredCount(address: string): number;
  /** Waits until at least `count` messages were delivered to the address; throws with Postfix's log on timeout. */
  waitForDelivery(address: string, count?: number, timeoutMs?: number): Promise<void>;
  /** Postfix's and Dovecot's logs so far, for failure messages. */
  logs(): string;
  /** Stops both daemons (and their children) and removes the folder. */
  stop(): Promise<void>;
}

const DOMAIN = 'steward.test';
const POSTFIX = '/usr/sbin/postfix';
const DOVECOT = '/usr/sbin/dovecot';
const SWAKS = '/usr/bin/swaks';
const POSTMAP = '/usr/sbin/postmap';
const MESSAGE_SIZE_LIMIT = 2 * 1024 * 1024;

function postconf(name: string): string | undefined {
  const r = spawnSync('/usr/sbin/postconf', ['-dh', name], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function idOf(flag: '-u' | '-g', user: string): number | undefined {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8', timeout: 10_000 });
  const n = Number(r.stdout.trim());
  return r.status === 0 && Number.isInteger(n) ? n : undefined;
}

/** Why the mail servers cannot run here, or undefined when they can. */
export function mailServersMissing(): string | undefined {
  const install = '(apt-get install postfix dovecot-imapd swaks)';
  if (!fs.existsSync(POSTFIX)) return `Postfix not found at ${POSTFIX} ${install}`;
  const daemonDir = postconf('daemon_directory');
  if (daemonDir === undefined || !fs.existsSync(join(daemonDir, 'master')))
    return `Postfix's master daemon not found ${install}`;
  if (!fs.existsSync(DOVECOT)) return `Dovecot not found at ${DOVECOT} ${install}`;
  if (!fs.existsSync('/usr/lib/dovecot/imap')) return `Dovecot's IMAP server is missing ${install}`;
  if (!fs.existsSync(SWAKS)) return `swaks not found at ${SWAKS} ${install}`;
  if (process.getuid?.() !== 0) return 'the private Postfix and Dovecot must be started as root';
  for (const u of ['postfix', 'dovecot', 'dovenull', 'nobody'])
    if (idOf('-u', u) === undefined) return `system user ${u} is missing ${install}`;
  return undefined;
}

/**
 * True when the mail interop suite may run. A missing component skips it locally (reason recorded for the
 * closing report of scripts/test.mjs) and fails under CI=true, through the shared component check.
 */
export function requireMailServers(suite: string): boolean {
  const why = mailServersMissing();
  return requireComponent(suite, why === undefined, why ?? '');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Whether the port answers with the expected greeting (`220` for SMTP, `* OK` for IMAP): `ok`, `closed`
 * (nothing listens yet), or `other` (another program took the free port we picked, e.g. a test server of a
 * file running alongside; the start is then retried on other ports).
 */
async function greets(port: number, greeting: string): Promise<'ok' | 'closed' | 'other'> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      s.destroy();
      resolve('other');
    }, 3000);
    s.once('data', (d: Buffer) => {
      clearTimeout(timer);
      s.destroy();
      resolve(d.toString('latin1').startsWith(greeting) ? 'ok' : 'other');
    });
    s.on('error', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

async function waitForPort(
  port: number,
  greeting: string,
  child: ChildProcess,
  what: string,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}): ${log()}`);
    const state = await greets(port, greeting);
    if (state === 'ok') return;
    if (state === 'other')
      throw new Error(`127.0.0.1:${port} answers, but not as ${what}: another program took it`);
    await sleep(50);
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port}: ${log()}`);
}

async function stopChild(child: ChildProcess, ms = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function postfixConfig(dir: string, name: string, port: number): { main: string; master: string } {
  const main = [
    'compatibility_level = 3.6',
    `multi_instance_name = ${name}`,
    `syslog_name = postfix-${name}`,
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    // postfix-files and the other read-only meta files come from the installed package.
    'meta_directory = /etc/postfix',
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `maillog_file = ${dir}/postfix.log`,
    `maillog_file_prefixes = ${dir}`,
    `myhostname = mail.${DOMAIN}`,
    `mydomain = ${DOMAIN}`,
    `myorigin = ${DOMAIN}`,
    'mydestination =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    // Like a real MX for outside senders: no From/Date/Message-ID invented, no addresses rewritten, so what the
    // tests send arrives as sent (Postfix still prepends Received, Return-Path and Delivered-To).
    'local_header_rewrite_clients =',
    'relay_domains =',
    'relayhost =',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'local_transport = error:5.1.1 local delivery is disabled on this test server',
    // Nothing leaves the machine: mail for every other domain is accepted, then handed to an LMTP socket that
    // does not exist, deferred and, with no queue lifetime, returned at once as a real delivery status
    // notification. (The error(8) transport would be refused at RCPT time instead.)
    `default_transport = lmtp:unix:${dir}/nowhere.sock`,
    'maximal_queue_lifetime = 0',
    'bounce_queue_lifetime = 0',
    'biff = no',
    'smtputf8_enable = no',
    `message_size_limit = ${MESSAGE_SIZE_LIMIT}`,
    `virtual_mailbox_domains = ${DOMAIN}`,
    `virtual_mailbox_base = ${dir}/mail`,
    `virtual_mailbox_maps = hash:${dir}/postfix/mailboxes`,
    `virtual_uid_maps = static:${idOf('-u', 'nobody')}`,
    `virtual_gid_maps = static:${idOf('-g', 'nobody')}`,
    'virtual_minimum_uid = 100',
    '',
  ].join('\n');
  // No chroot anywhere (column 5 = n): the daemons find everything under the temporary folder.
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'lmtp unix - - n - - lmtp',
    'discard unix - - n - - discard',
    'virtual unix - n n - - virtual',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
    '',
  ];
  return { main, master: services.join('\n') };
}

function dovecotConfig(dir: string, name: string, port: number): string {
  const v = `${dir}/dovecot`;
  return [
    `instance_name = ${name}`,
    `base_dir = ${v}/run`,
    `state_dir = ${v}/state`,
    `log_path = ${v}/dovecot.log`,
    'listen = 127.0.0.1',
    'protocols = imap',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `mail_location = maildir:${dir}/mail/%n/Maildir`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${v}/users`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${idOf('-u', 'nobody')} gid=${idOf('-g', 'nobody')} home=${dir}/mail/%n`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    '',
  ].join('\n');
}

let instances = 0;
const randomLocal = (): string => `u${randomBytes(5).toString('hex')}`;

async function startOnce(): Promise<MailServers> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'steward-mail-'));
  // The daemons' own accounts (postfix, nobody) must reach their folders inside it.
  fs.chmodSync(dir, 0o755);
  // Names the instance in both daemons' logs; unique per process and start.
  const name = `steward-${process.pid}-${++instances}`;
  const [smtpPort, imapPort] = [await freePort(), await freePort()];
  const nobody = { uid: idOf('-u', 'nobody') ?? 65534, gid: idOf('-g', 'nobody') ?? 65534 };
  for (const d of ['postfix', 'queue', 'data', 'mail', 'dovecot/run', 'dovecot/state'])
    fs.mkdirSync(join(dir, d), { recursive: true });
  fs.chownSync(join(dir, 'data'), idOf('-u', 'postfix') ?? 0, idOf('-g', 'postfix') ?? 0);
  fs.chownSync(join(dir, 'mail'), nobody.uid, nobody.gid);
  const pf = postfixConfig(dir, name, smtpPort);
  fs.writeFileSync(join(dir, 'postfix/main.cf'), pf.main);
  fs.writeFileSync(join(dir, 'postfix/master.cf'), pf.master);
  fs.writeFileSync(join(dir, 'dovecot/dovecot.conf'), dovecotConfig(dir, name, imapPort));
  const users: MailUser[] = [];
  let mapTime = 0;
  // Postfix's map lists the mailboxes (virtual(8) allows no regexp substitution, so no catch-all is possible);
  // Dovecot's passwd-file holds their passwords.
  const writeUser = (localPart: string, password: string): MailUser => {
    if (!/^[a-z0-9._-]+$/.test(localPart)) throw new Error(`unsupported local part: ${localPart}`);
    const user = { address: `${localPart}@${DOMAIN}`, password };
    fs.appendFileSync(join(dir, 'postfix/mailboxes'), `${user.address} ${localPart}/Maildir/\n`);
    fs.appendFileSync(join(dir, 'dovecot/users'), `${user.address}:{PLAIN}${password}\n`);
    users.push(user);
    return user;
  };
  writeUser('alice', randomBytes(12).toString('base64url'));
  writeUser('bob', randomBytes(12).toString('base64url'));

  const logs = (): string =>
    `\n--- postfix ---\n${read(join(dir, 'postfix.log')).slice(-4000)}` +
    `\n--- dovecot ---\n${read(join(dir, 'dovecot/dovecot.log')).slice(-4000)}`;
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test worker that dies without stop() must not leave daemons behind.
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killAll);
    await Promise.all(children.map((c) => stopChild(c)));
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Our own configuration folder: the system one may hold no main.cf at all (postfix installed unconfigured).
    const map = spawnSync(POSTMAP, ['-c', join(dir, 'postfix'), `hash:${join(dir, 'postfix/mailboxes')}`], {
      encoding: 'utf8',
    });
    if (map.status !== 0) throw new Error(`postmap failed: ${map.stderr}`);
    mapTime = Math.floor(Date.now() / 1000);
    // `postfix check` creates the queue's folders with the owners and modes the daemons expect.
    const check = spawnSync(POSTFIX, ['-c', join(dir, 'postfix'), 'check'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (check.status !== 0) throw new Error(`postfix check failed: ${check.stderr}${logs()}`);
    const daemonDir = postconf('daemon_directory') ?? '/usr/lib/postfix/sbin';
    const master = spawn(join(daemonDir, 'master'), ['-c', join(dir, 'postfix'), '-d'], { stdio: 'ignore' });
    children.push(master);
    const dovecot = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot/dovecot.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let dovecotErr = '';
    dovecot.stderr?.on('data', (d: Buffer) => (dovecotErr += d.toString()));
    children.push(dovecot);
    await waitForPort(smtpPort, '220', master, 'postfix', logs);
    await waitForPort(imapPort, '* OK', dovecot, 'dovecot', () => dovecotErr + logs());
  } catch (e) {
    await stop();
    throw e;
  }

  const maildir = (address: string): string => join(dir, 'mail', address.split('@')[0] ?? '', 'Maildir');
  const count = (address: string): number => {
    let n = 0;
    for (const sub of ['new', 'cur']) {
      try {
        n += fs.readdirSync(join(maildir(address), sub)).length;
      } catch {
        // not created until the first delivery
      }
    }
    return n;
  };
  const servers: MailServers = {
    smtpPort,
    imapPort,
    domain: DOMAIN,
    messageSizeLimit: MESSAGE_SIZE_LIMIT,
    users,
    dir,
    async addUser(localPart = randomLocal(), password = randomBytes(12).toString('base64url')) {
      const user = writeUser(localPart, password);
      // Postfix's daemons notice the rebuilt table before their next request and restart; Dovecot re-reads
      // its passwd-file. Both compare mtimes in whole seconds, so every change gets a later second than the
      // one before; and Dovecot looks at the file at most once a second, so wait for the next second.
      const r = await run(POSTMAP, ['-c', join(dir, 'postfix'), `hash:${join(dir, 'postfix/mailboxes')}`]);
      if (r.status !== 0) throw new Error(`postmap failed: ${r.output}`);
      mapTime = Math.max(Math.floor(Date.now() / 1000), mapTime + 1);
      fs.utimesSync(join(dir, 'postfix/mailboxes.db'), mapTime, mapTime);
      fs.utimesSync(join(dir, 'dovecot/users'), mapTime, mapTime);
      await sleep(1100 - (Date.now() % 1000));
      return user;
    },
    deliveredCount: count,
    async waitForDelivery(address, n = 1, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (count(address) < n) {
        if (Date.now() > until)
          throw new Error(`no delivery of ${n} message(s) to ${address} in ${timeoutMs} ms${logs()}`);
        await sleep(50);
      }
    },
    logs,
    stop,
  };
  return servers;
}

/**
 * Starts a private Postfix and Dovecot (see the file comment) with the users alice@ and bob@steward.test, and
 * resolves once both accept connections. A start that loses its free port to another process is retried.
 */
export async function startMailServers(): Promise<MailServers> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce();
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** What a swaks run printed, and how it ended. */
export interface SwaksResult {
  status: number | null;
  output: string;
}

async function run(cmd: string, args: string[], input?: string | Buffer): Promise<SwaksResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(input);
  });
}

/**
 * Runs swaks against an SMTP server on 127.0.0.1. It runs asynchronously, so it can also talk to an SMTP
 * listener inside the test's own process.
 */
export async function swaks(port: number, args: string[], input?: string | Buffer): Promise<SwaksResult> {
  return run(SWAKS, ['--server', `127.0.0.1:${port}`, '--timeout', '30', '--suppress-data', ...args], input);
}
