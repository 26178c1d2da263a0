/**
 * `steward agent install-service`: the agent as a systemd service that runs `steward agent run` with its config,
 * restarted on failure, at low CPU and I/O priority, after the network is up. The hardening leaves every folder
 * readable (the agent backs up home folders and anything a policy names) and writable outside the system
 * folders (restores write where a person asks); only the agent's own config folder is writable under /etc.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The unit's file name. */
export const UNIT_NAME = 'steward-agent.service';

/** What the unit runs, and for whom. */
export interface UnitOptions {
  /** The Node.js binary. */
  node: string;
  /** The `steward` entry script. */
  entry: string;
  /** The agent's config file (absolute). */
  configPath: string;
  /** A user unit (`systemctl --user`) instead of a system one. */
  user: boolean;
}

/**
 * One word as systemd reads it: `%` doubled (specifiers) and, in a command line, `$` too (variables); words
 * with spaces, quotes or backslashes double-quoted with C escapes.
 */
export function systemdWord(s: string, command = true): string {
  let escaped = s.replace(/%/g, '%%');
  if (command) escaped = escaped.replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The text of the unit. */
export function systemdUnit(o: UnitOptions): string {
  const exec = [o.node, o.entry, 'agent', 'run', '--config', o.configPath]
    .map((w) => systemdWord(w))
    .join(' ');
  const configDir = dirname(o.configPath);
  const hardening = o.user
    ? // A user manager cannot set up mount namespaces without privileges: only what needs none.
      ['NoNewPrivileges=yes', 'LockPersonality=yes', 'RestrictRealtime=yes', 'UMask=0077']
    : [
        // No ProtectHome, PrivateTmp or PrivateDevices: backups read home folders and whatever a policy
        // names, and the inventory reads the disks. /usr, /boot and /etc are read-only, but for the config's
        // folder (the agent keeps its backup state there).
        'NoNewPrivileges=yes',
        'ProtectSystem=full',
        `ReadWritePaths=${systemdWord(configDir, false)}`,
        'ProtectKernelModules=yes',
        'ProtectKernelLogs=yes',
        'ProtectControlGroups=yes',
        'ProtectClock=yes',
        'ProtectHostname=yes',
        'RestrictSUIDSGID=yes',
        'RestrictRealtime=yes',
        'RestrictNamespaces=yes',
        'LockPersonality=yes',
        'SystemCallArchitectures=native',
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
        'UMask=0077',
      ];
  return [
    '# Written by `steward agent install-service`.',
    '[Unit]',
    'Description=Steward agent: reports this machine and runs its backups on schedule',
    ...(o.user ? [] : ['Wants=network-online.target']),
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=30',
    // Backups run in the background of people's work: lowest CPU priority, idle I/O class.
    'Nice=19',
    'IOSchedulingClass=idle',
    'CPUSchedulingPolicy=batch',
    ...hardening,
    '',
    '[Install]',
    `WantedBy=${o.user ? 'default.target' : 'multi-user.target'}`,
    '',
  ].join('\n');
}

/** Where units go: /etc/systemd/system, or the user's ~/.config/systemd/user. */
export function defaultUnitDir(user: boolean): string {
  if (!user) return '/etc/systemd/system';
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'systemd', 'user');
}

/** True when the machine runs systemd (as sd_booted() tells it). */
export const systemdRunning = (): boolean => existsSync('/run/systemd/system');

/** Writes the unit into `dir` (atomically); returns its path. */
export function writeUnit(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(resolve(dir), UNIT_NAME);
  writeFileSync(`${path}.tmp`, text, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
  return path;
}

/** `systemctl daemon-reload` then `systemctl enable --now` the unit; throws with systemctl's words. */
export function enableUnit(user: boolean): void {
  const scope = user ? ['--user'] : [];
  for (const args of [
    [...scope, 'daemon-reload'],
    [...scope, 'enable', '--now', UNIT_NAME],
  ]) {
    const r = spawnSync('systemctl', args, { encoding: 'utf8' });
    if (r.error || r.status !== 0)
      throw new Error(
        `systemctl ${args.join(' ')} failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`,
      );
  }
}
