// A handful of line icons drawn inline (24×24, currentColor), so the shell needs no icon library.
import type { ReactNode } from 'react';

function Svg({ size = 18, children }: { size?: number; children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** Size of an icon in CSS pixels. */
export interface IconProps {
  size?: number;
}

/** House. */
export const HomeIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M3 10.5 12 3l9 7.5" />
    <path d="M5 9.5V21h14V9.5" />
    <path d="M10 21v-6h4v6" />
  </Svg>
);

/** A cylinder with an arrow going round (backups). */
export const BackupIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <ellipse cx="12" cy="5" rx="7" ry="2.5" />
    <path d="M5 5v6c0 1.4 3.1 2.5 7 2.5" />
    <path d="M19 5v4" />
    <path d="M5 11v6c0 1.4 3.1 2.5 7 2.5" />
    <path d="M21 15.5a4 4 0 1 1-1.2-2.9" />
    <path d="M21 11.5v1.9h-1.9" />
  </Svg>
);

/** A stack of boxes (the inventory). */
export const InventoryIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <rect x="3" y="3" width="18" height="7" rx="1.5" />
    <rect x="3" y="14" width="18" height="7" rx="1.5" />
    <path d="M7 6.5h2M7 17.5h2" />
  </Svg>
);

/** One person. */
export const UserIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21c0-4 3.6-7 8-7s8 3 8 7" />
  </Svg>
);

/** Several people. */
export const TeamIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c0-3.6 2.9-6.2 6.5-6.2s6.5 2.6 6.5 6.2" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8" />
    <path d="M18 14.2c2.1.8 3.5 3 3.5 5.8" />
  </Svg>
);

/** A list with a check: the audit log. */
export const AuditIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M9 4h10a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V9" />
    <path d="M4 4l2.5 2.5L10.5 2" />
    <path d="M9 11h7M9 15h7" />
  </Svg>
);

/** A key: API tokens. */
export const KeyIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <circle cx="8" cy="15" r="4.5" />
    <path d="M11.2 11.8 20 3" />
    <path d="M17 6l2.5 2.5M14.5 8.5 16.5 10.5" />
  </Svg>
);

/** Three bars: open the menu. */
export const MenuIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M4 7h16M4 12h16M4 17h16" />
  </Svg>
);

/** A cross: close. */
export const CloseIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M6 6l12 12M18 6 6 18" />
  </Svg>
);

/** A door with an arrow: sign out. */
export const SignOutIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3" />
    <path d="M10 16l-4-4 4-4M6 12h10" />
  </Svg>
);

/** Two sheets: copy. */
export const CopyIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </Svg>
);

/** A ticket stub (the agent queue). */
export const TicketIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v3a2 2 0 0 0 0 4v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-3a2 2 0 0 0 0-4Z" />
    <path d="M9 9h6M9 15h6" />
  </Svg>
);

/** A bell (notifications). */
export const BellIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4Z" />
    <path d="M10 20a2 2 0 0 0 4 0" />
  </Svg>
);

/** A speech bubble with a question mark (the self-service portal). */
export const HelpIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M4 5h16v11H9l-5 4Z" />
    <path d="M10 9a2 2 0 1 1 2.5 1.9c-.3.1-.5.4-.5.7v.4" />
    <path d="M12 14.2v.1" />
  </Svg>
);
/** Three sliders (settings). */
export const SettingsIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
    <circle cx="16" cy="6" r="2" />
    <circle cx="10" cy="12" r="2" />
    <circle cx="18" cy="18" r="2" />
  </Svg>
);

/** Steward's mark: a rounded square with an S-curve. */
export function Logo({ size = 28 }: IconProps) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="#2f5bd3" />
      <path
        d="M21 10c-1.4-1.5-3.4-2.3-5.6-2.3-3.2 0-5.3 1.6-5.3 4 0 5.3 11.6 3.1 11.6 8.6 0 2.6-2.3 4.2-5.9 4.2-2.6 0-5-.9-6.6-2.6"
        fill="none"
        stroke="#fff"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Bars of a chart (dashboards). */
export const ChartIcon = ({ size }: IconProps) => (
  <Svg size={size}>
    <path d="M4 20h16" />
    <path d="M7 16v-5" />
    <path d="M12 16V6" />
    <path d="M17 16v-8" />
  </Svg>
);
