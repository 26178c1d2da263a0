/**
 * Installed software, from each platform's own record of it: dpkg or rpm on Linux, the registry's Uninstall
 * keys on Windows (read through PowerShell, as systeminformation reads Windows), and System Profiler's
 * applications list on macOS. The parsers are pure and tested on those programs' real output shapes.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX = 64 * 1024 * 1024;

/** One installed package or application. */
export interface Installed {
  name: string;
  version: string;
  /** The source package it was built from, and its version (Linux packages only). */
  source?: string;
  sourceVersion?: string;
}

const entry = (name: unknown, version: unknown): Installed | null =>
  typeof name === 'string' && name.trim() !== ''
    ? {
        name: name.trim().slice(0, 200),
        version: (typeof version === 'string' ? version.trim() : '').slice(0, 100),
      }
    : null;

/** An installed package with its source package, where that is known. */
function withSource(e: Installed | null, source: string | undefined, version: string | undefined) {
  const s = source?.trim().slice(0, 200);
  const v = version?.trim().slice(0, 100);
  return e && s && v ? { ...e, source: s, sourceVersion: v } : e;
}

/**
 * `dpkg-query` lines of `status<TAB>name<TAB>version[<TAB>source<TAB>source version]`; only installed ("ii")
 * packages count.
 */
export function parsePackageLines(stdout: string): Installed[] {
  return stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => (f.length === 3 || f.length === 5) && f[0]!.startsWith('ii') && f[1]!.length > 0)
    .flatMap((f) => withSource(entry(f[1], f[2]), f[3], f[4]) ?? []);
}

/**
 * `rpm -qa` lines of `name<TAB>version-release<TAB>SOURCERPM<TAB>epoch`: the source package and its
 * `[epoch:]version-release` come from the source RPM's file name (`openssl-3.0.7-24.el9.src.rpm`).
 */
export function parseRpmLines(stdout: string): Installed[] {
  return stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length === 4 && f[0]!.length > 0)
    .flatMap((f) => {
      const src = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(f[2]!.trim());
      const epoch = /^\d+$/.test(f[3]!.trim()) ? `${f[3]!.trim()}:` : '';
      return withSource(entry(f[0], f[1]), src?.[1], src ? `${epoch}${src[2]}-${src[3]}` : undefined) ?? [];
    });
}

/** The ID and VERSION_ID of an os-release file (quotes removed), where they are well-formed. */
export function parseOsRelease(text: string): { id?: string; versionId?: string } {
  const out: { id?: string; versionId?: string } = {};
  for (const line of text.split('\n')) {
    const m = /^(ID|VERSION_ID)=(?:"([^"]*)"|'([^']*)'|(\S*))\s*$/.exec(line.trim());
    const value = m && (m[2] ?? m[3] ?? m[4] ?? '');
    if (!m || !value || !/^[A-Za-z0-9._+-]{1,50}$/.test(value)) continue;
    if (m[1] === 'ID') out.id = value;
    else out.versionId = value;
  }
  return out;
}

/** This machine's os-release (`/etc/os-release`, else `/usr/lib/os-release`); empty where there is none. */
export async function osRelease(): Promise<{ id?: string; versionId?: string }> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(await readFile(file, 'utf8'));
    } catch {
      // not here
    }
  }
  return {};
}

/**
 * PowerShell's `ConvertTo-Json` of the Uninstall keys' `DisplayName` and `DisplayVersion` (an object when
 * there is one entry, an array otherwise). Updates and system components are left out, as Windows' own
 * "Installed apps" list leaves them out.
 */
export function parseWindowsSoftware(json: string): Installed[] {
  if (json.trim() === '') return [];
  const parsed: unknown = JSON.parse(json);
  const rows = Array.isArray(parsed) ? parsed : [parsed];
  return rows.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const o = r as Record<string, unknown>;
    if (o.SystemComponent === 1 || typeof o.ParentKeyName === 'string') return [];
    return entry(o.DisplayName, o.DisplayVersion) ?? [];
  });
}

/** `system_profiler SPApplicationsDataType -json`: each application's `_name` and `version`. */
export function parseMacSoftware(json: string): Installed[] {
  const parsed = JSON.parse(json) as { SPApplicationsDataType?: unknown };
  const apps = Array.isArray(parsed.SPApplicationsDataType) ? parsed.SPApplicationsDataType : [];
  return apps.flatMap((a: unknown) => {
    if (typeof a !== 'object' || a === null) return [];
    const o = a as Record<string, unknown>;
    return entry(o._name, o.version) ?? [];
  });
}

const WINDOWS_SCRIPT = [
  '$keys = @(',
  "'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*',",
  "'HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*',",
  "'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*')",
  'Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName } |',
  'Select-Object DisplayName, DisplayVersion, SystemComponent, ParentKeyName | ConvertTo-Json -Compress',
].join(' ');

/** The software installed on this machine; an empty list where the platform's source is missing. */
export async function installedSoftware(platform: NodeJS.Platform = process.platform): Promise<Installed[]> {
  try {
    if (platform === 'win32') {
      const { stdout } = await run(
        'powershell.exe',
        ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_SCRIPT],
        { maxBuffer: MAX, windowsHide: true },
      );
      return parseWindowsSoftware(stdout);
    }
    if (platform === 'darwin') {
      const { stdout } = await run('system_profiler', ['SPApplicationsDataType', '-json'], {
        maxBuffer: MAX,
      });
      return parseMacSoftware(stdout);
    }
  } catch {
    return [];
  }
  const tries: [string, string[], (out: string) => Installed[]][] = [
    [
      'dpkg-query',
      ['-W', '-f=${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n'],
      parsePackageLines,
    ],
    [
      'rpm',
      ['-qa', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{SOURCERPM}\\t%|EPOCH?{%{EPOCH}}:{}|\\n'],
      parseRpmLines,
    ],
  ];
  for (const [cmd, args, parse] of tries) {
    try {
      const { stdout } = await run(cmd, args, { maxBuffer: MAX });
      return parse(stdout);
    } catch {
      // not this packaging system
    }
  }
  return [];
}
