import type { ComponentType } from 'react';
import type { Role } from '@contracts';
import {
  AuditIcon,
  BackupIcon,
  BellIcon,
  HelpIcon,
  HomeIcon,
  InventoryIcon,
  KeyIcon,
  SettingsIcon,
  TeamIcon,
  TicketIcon,
  UserIcon,
  type IconProps,
} from '../ui/icons';

/** One entry of the main navigation. */
export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<IconProps>;
  /** Roles that may use the page; everyone when absent. */
  roles?: readonly Role[];
  /** Highlight only on an exact match (for `/`). */
  end?: boolean;
}

/** The main navigation, in display order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', icon: HomeIcon, end: true },
  { to: '/portal', label: 'Help & requests', icon: HelpIcon },
  { to: '/kb', label: 'Knowledge', icon: HelpIcon },
  { to: '/tickets', label: 'Queue', icon: TicketIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/inventory', label: 'Inventory', icon: InventoryIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/changes', label: 'Changes', icon: TicketIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/passwords', label: 'Passwords', icon: KeyIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/backups', label: 'Backups', icon: BackupIcon, roles: ['admin'] },
  { to: '/steward-backup', label: 'Steward’s own backup', icon: BackupIcon, roles: ['admin'] },
  { to: '/backups/browse', label: 'Backed-up files', icon: BackupIcon },
  { to: '/dr/plans', label: 'Disaster recovery', icon: BackupIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/users', label: 'Users', icon: UserIcon, roles: ['admin'] },
  { to: '/teams', label: 'Teams', icon: TeamIcon, roles: ['admin'] },
  { to: '/settings', label: 'Settings', icon: SettingsIcon, roles: ['admin'] },
  { to: '/audit', label: 'Audit log', icon: AuditIcon, roles: ['admin'] },
  { to: '/notifications', label: 'Notifications', icon: BellIcon },
  { to: '/tokens', label: 'API tokens', icon: KeyIcon },
  { to: '/account', label: 'My account', icon: UserIcon },
];

/** The navigation entries `role` may use. */
export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles === undefined || item.roles.includes(role));
}
