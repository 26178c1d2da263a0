import { z } from 'zod';
import { DeviceRepository } from './backup.js';
import { PageQuery } from './common.js';

/** A page of one device's backup runs, newest first. */
export const BackupRunsQuery = PageQuery.extend({ ciId: z.uuid({ message: 'must be a device id' }) });
export type BackupRunsQuery = z.infer<typeof BackupRunsQuery>;

/** Every device's repository (admins), by device name. */
export const DeviceRepositoryList = z.object({ items: z.array(DeviceRepository) });
export type DeviceRepositoryList = z.infer<typeof DeviceRepositoryList>;

/** Folders a policy backs up when it names none: user profiles and home folders. */
export const DEFAULT_BACKUP_PATHS = {
  linux: ['/home', '/root'],
  windows: ['C:\\Users'],
  macos: ['/Users'],
} as const satisfies Record<'linux' | 'windows' | 'macos', readonly string[]>;
