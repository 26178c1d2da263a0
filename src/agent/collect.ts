/**
 * What the discovery agent collects about the machine it runs on: hardware (manufacturer, model, serial,
 * system UUID, CPU, memory, disks, network interfaces with MACs), the operating system, installed software
 * (dpkg or rpm on Linux) and attached USB peripherals. Reads the machine for real; nothing is invented.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import si from 'systeminformation';
import type { AgentReport } from '../contracts/index.js';

const run = promisify(execFile);

/** Installed packages from dpkg, else rpm; an empty list when neither is there. */
export async function installedSoftware(): Promise<{ name: string; version: string }[]> {
  const tries: [string, string[]][] = [
    ['dpkg-query', ['-W', '-f=${db:Status-Abbrev}\\t${Package}\\t${Version}\\n']],
    ['rpm', ['-qa', '--qf', 'ii \\t%{NAME}\\t%{VERSION}-%{RELEASE}\\n']],
  ];
  for (const [cmd, args] of tries) {
    try {
      const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
      return (
        stdout
          .split('\n')
          .map((l) => l.split('\t'))
          // dpkg lists removed-but-configured packages too: only "ii" (installed) counts.
          .filter((f) => f.length === 3 && f[0]!.startsWith('ii') && f[1]!.length > 0)
          .map((f) => ({ name: f[1]!.slice(0, 200), version: f[2]!.slice(0, 100) }))
      );
    } catch {
      // not this packaging system
    }
  }
  return [];
}

function kindOf(chassis: string, virtual: boolean): AgentReport['system']['kind'] {
  if (virtual) return 'virtual_machine';
  const c = chassis.toLowerCase();
  if (/(laptop|notebook|portable|convertible|detachable|tablet)/.test(c)) return 'laptop';
  if (/(server|rack|blade)/.test(c)) return 'server';
  return 'desktop';
}

/** Reads this machine. */
export async function collect(): Promise<AgentReport> {
  const [system, chassis, uuid, cpu, mem, disks, nets, os, usb, software] = await Promise.all([
    si.system(),
    si.chassis(),
    si.uuid(),
    si.cpu(),
    si.mem(),
    si.diskLayout(),
    si.networkInterfaces(),
    si.osInfo(),
    si.usb().catch(() => []),
    installedSoftware(),
  ]);
  const ifaces = Array.isArray(nets) ? nets : [nets];
  const byMac = new Map<string, { iface: string; mac: string; ipv4: string[] }>();
  for (const n of ifaces) {
    if (n.internal || !n.mac) continue;
    const e = byMac.get(n.mac) ?? { iface: n.iface.slice(0, 100), mac: n.mac.toLowerCase(), ipv4: [] };
    if (n.ip4) e.ipv4.push(n.ip4);
    byMac.set(n.mac, e);
  }
  // Where the firmware gives no UUID (some VMs, containers), the OS's machine id identifies the system.
  const systemUuid = (system.uuid || uuid.hardware || uuid.os || '').toLowerCase().slice(0, 64);
  return {
    hostname: (os.fqdn || os.hostname || 'unknown').slice(0, 253),
    system: {
      manufacturer: (system.manufacturer || '').slice(0, 200),
      model: (system.model || '').slice(0, 200),
      serial: (system.serial && system.serial !== '-' ? system.serial : '').slice(0, 128),
      uuid: systemUuid || 'unknown',
      kind: kindOf(chassis.type || '', system.virtual),
    },
    cpu: { manufacturer: cpu.manufacturer.slice(0, 200), brand: cpu.brand.slice(0, 200), cores: cpu.cores },
    memoryBytes: mem.total,
    disks: disks.slice(0, 256).map((d) => ({
      name: (d.name || d.device || '').slice(0, 200),
      type: (d.type || '').slice(0, 50),
      sizeBytes: Math.max(0, Math.round(d.size || 0)),
    })),
    network: [...byMac.values()].slice(0, 256),
    os: {
      platform: os.platform.slice(0, 50),
      distro: os.distro.slice(0, 200),
      release: os.release.slice(0, 100),
      kernel: os.kernel.slice(0, 100),
      arch: os.arch.slice(0, 50),
    },
    software: software.slice(0, 20_000),
    peripherals: usb.slice(0, 512).map((u) => ({
      type: (u.type || 'usb').slice(0, 50),
      name: (u.name || '').slice(0, 200),
      vendor: (u.vendor || u.manufacturer || '').slice(0, 200),
      serial: (u.serialNumber || '').slice(0, 128),
    })),
  };
}
