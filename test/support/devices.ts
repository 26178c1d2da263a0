import { randomUUID } from 'node:crypto';
import type { AgentReport } from '../../src/contracts/index.js';
import type { TestApp } from './api.js';
import { discoveryClient } from './discovery.js';

/** A small, plausible report of a machine called `hostname` with system UUID `uuid`. */
export function reportOf(hostname: string, uuid: string): AgentReport {
  return {
    hostname,
    system: {
      manufacturer: 'Lenovo',
      model: 'ThinkPad T14',
      serial: `SN-${uuid.slice(0, 8)}`,
      uuid,
      kind: 'laptop',
    },
    cpu: { manufacturer: 'Intel', brand: 'Core i5', cores: 8 },
    memoryBytes: 16 * 1024 ** 3,
    disks: [{ name: 'nvme0n1', type: 'SSD', sizeBytes: 512 * 1024 ** 3 }],
    network: [],
    os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1.0', arch: 'x64' },
    software: [],
    peripherals: [],
  };
}

/** A device enrolled and reported through the API: its agent token and its computer's id. */
export async function enrolDevice(app: TestApp, hostname: string): Promise<{ token: string; ciId: string }> {
  const d = discoveryClient(() => app);
  const uuid = randomUUID();
  const enrolled = await d.enrol(await d.enrolmentToken(), uuid, hostname);
  if (enrolled.statusCode !== 201) throw new Error(`enrol failed: ${enrolled.body}`);
  const token = enrolled.json<{ token: string }>().token;
  const r = await d.report(token, reportOf(hostname, uuid));
  if (r.statusCode !== 200) throw new Error(`report failed: ${r.body}`);
  return { token, ciId: r.json<{ ciId: string }>().ciId };
}

/** A backup run as an agent reports it: started `minutesAgo`, 30 s long, failed or with snapshot number `n`. */
export function backupRunOf(status: 'succeeded' | 'failed', n: number, minutesAgo = 1) {
  const start = new Date(Date.now() - minutesAgo * 60_000);
  return {
    startedAt: start.toISOString(),
    finishedAt: new Date(start.getTime() + 30_000).toISOString(),
    status,
    snapshotId: status === 'failed' ? null : n.toString(16).padStart(64, '0'),
    filesNew: n,
    filesChanged: 0,
    filesUnmodified: 0,
    bytesProcessed: 0,
    bytesAdded: 0,
    warnings: [],
    error: status === 'failed' ? 'the target is away' : null,
  };
}
