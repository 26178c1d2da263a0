import type { ComponentType } from 'react';
import type { Role } from '@contracts';
import type { MessageKey } from '../i18n/catalogues';
import {
  AuditIcon,
  BackupIcon,
  BellIcon,
  ChartIcon,
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
  /** The catalogue key of its label. */
  label: MessageKey;
  icon: ComponentType<IconProps>;
  /** Roles that may use the page; everyone when absent. */
  roles?: readonly Role[];
  /** Highlight only on an exact match (for `/`). */
  end?: boolean;
}

/** The main navigation, in display order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'nav.home', icon: HomeIcon, end: true },
  { to: '/portal', label: 'nav.portal', icon: HelpIcon },
  { to: '/kb', label: 'nav.knowledge', icon: HelpIcon },
  { to: '/catalogue', label: 'nav.catalogue', icon: HelpIcon },
  { to: '/tickets', label: 'nav.queue', icon: TicketIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/inventory', label: 'nav.inventory', icon: InventoryIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/exposure', label: 'nav.exposure', icon: InventoryIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/changes', label: 'nav.changes', icon: TicketIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/passwords', label: 'nav.passwords', icon: KeyIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/reviews', label: 'nav.reviews', icon: AuditIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/compliance', label: 'nav.compliance', icon: AuditIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/dashboards', label: 'nav.dashboards', icon: ChartIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/backups', label: 'nav.backups', icon: BackupIcon, roles: ['admin'] },
  { to: '/steward-backup', label: 'nav.stewardBackup', icon: BackupIcon, roles: ['admin'] },
  { to: '/backups/browse', label: 'nav.backedUpFiles', icon: BackupIcon },
  { to: '/dr/plans', label: 'nav.dr', icon: BackupIcon, roles: ['agent', 'manager', 'admin'] },
  { to: '/users', label: 'nav.users', icon: UserIcon, roles: ['admin'] },
  { to: '/teams', label: 'nav.teams', icon: TeamIcon, roles: ['admin'] },
  { to: '/settings', label: 'nav.settings', icon: SettingsIcon, roles: ['admin'] },
  { to: '/audit', label: 'nav.audit', icon: AuditIcon, roles: ['admin'] },
  { to: '/notifications', label: 'nav.notifications', icon: BellIcon },
  { to: '/tokens', label: 'nav.tokens', icon: KeyIcon },
  { to: '/account', label: 'nav.account', icon: UserIcon },
];

/** The navigation entries `role` may use. */
export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles === undefined || item.roles.includes(role));
}
