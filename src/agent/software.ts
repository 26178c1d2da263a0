/**
 * Installed software, from each platform's own record of it: dpkg or rpm on Linux, the registry's Uninstall
 * keys on Windows (read through PowerShell, as systeminformation reads Windows), and System Profiler's
 * applications list on macOS. The parsers are pure and tested on those programs' real output shapes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX = 64 * 1024 * 1024;

/** One installed package or application. */
export interface Installed {
  name: string;
  version: string;
}

const entry = (name: unknown, version: unknown): Installed | null =>
  typeof name === 'string' && name.trim() !== ''
    ? {
        name: name.trim().slice(0, 200),
        version: (typeof version === 'string' ? version.trim() : '').slice(0, 100),
      }
    : null;

/** `dpkg-query` / `rpm` lines of `status<TAB>name<TAB>version`; only installed ("ii") packages count. */
export function parsePackageLines(stdout: string): Installed[] {
  return stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length === 3 && f[0]!.startsWith('ii') && f[1]!.length > 0)
    .flatMap((f) => entry(f[1], f[2]) ?? []);
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
  const tries: [string, string[]][] = [
    ['dpkg-query', ['-W', '-f=${db:Status-Abbrev}\\t${Package}\\t${Version}\\n']],
    ['rpm', ['-qa', '--qf', 'ii \\t%{NAME}\\t%{VERSION}-%{RELEASE}\\n']],
  ];
  for (const [cmd, args] of tries) {
    try {
      const { stdout } = await run(cmd, args, { maxBuffer: MAX });
      return parsePackageLines(stdout);
    } catch {
      // not this packaging system
    }
  }
  return [];
}
