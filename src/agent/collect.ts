/**
 * What the discovery agent collects about the machine it runs on: hardware (manufacturer, model, serial,
 * system UUID, CPU, memory, disks, network interfaces with MACs), the operating system, installed software
 * (software.ts: dpkg or rpm on Linux, the registry on Windows, System Profiler on macOS) and attached
 * peripherals (USB and Bluetooth devices, external displays). Reads the machine for real; nothing is invented.
 */
import si from 'systeminformation';
import type { AgentReport } from '../contracts/index.js';
import { installedSoftware, osRelease } from './software.js';

function kindOf(chassis: string, virtual: boolean): AgentReport['system']['kind'] {
  if (virtual) return 'virtual_machine';
  const c = chassis.toLowerCase();
  if (/(laptop|notebook|portable|convertible|detachable|tablet)/.test(c)) return 'laptop';
  if (/(server|rack|blade)/.test(c)) return 'server';
  return 'desktop';
}

/** Reads this machine. */
export async function collect(): Promise<AgentReport> {
  const [system, chassis, uuid, cpu, mem, disks, nets, os, usb, bluetooth, graphics, software, release] =
    await Promise.all([
      si.system(),
      si.chassis(),
      si.uuid(),
      si.cpu(),
      si.mem(),
      si.diskLayout(),
      si.networkInterfaces(),
      si.osInfo(),
      si.usb().catch(() => []),
      si.bluetoothDevices().catch(() => []),
      si.graphics().catch(() => ({ displays: [] })),
      installedSoftware(),
      osRelease(),
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
      ...release,
    },
    software: software.slice(0, 20_000),
    peripherals: [
      ...usb.map((u) => ({
        type: u.type || 'usb',
        name: u.name || '',
        vendor: u.vendor || u.manufacturer || '',
        serial: u.serialNumber || '',
      })),
      // Paired devices, connected or not (a keyboard asleep is still this desk's keyboard); the device's
      // Bluetooth address is its serial number.
      ...bluetooth.map((b) => ({
        type: b.type || 'bluetooth',
        name: b.name || '',
        vendor: b.manufacturer || '',
        serial: b.macDevice || '',
      })),
      // The laptop's own panel is part of the laptop, not a monitor of the inventory.
      ...graphics.displays
        .filter((d) => !d.builtin && (d.model || d.vendor))
        .map((d) => ({
          type: 'monitor',
          name: d.model || '',
          vendor: d.vendor || '',
          serial: d.serial || '',
        })),
    ]
      .slice(0, 512)
      .map((p) => ({
        type: p.type.slice(0, 50),
        name: p.name.slice(0, 200),
        vendor: p.vendor.slice(0, 200),
        serial: p.serial.slice(0, 128),
      })),
  };
}
