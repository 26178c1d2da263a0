import type { AuthSettings } from './auth/index.js';
import type { Ctx } from '../platform/context.js';

/** What the composition root hands every route module. */
export interface Deps {
  ctx: Ctx;
  auth: AuthSettings;
  /** Whether to mark cookies Secure for this request. */
  secureCookie: (protocol: string) => boolean;
  /** Attachment limits: one file, the totals per ticket and per uploader, and where uploads are spooled. */
  /** The address people reach Steward at (STEWARD_PUBLIC_URL), for links in e-mail. */
  publicUrl: string;
  attachments: { maxBytes: number; ticketTotalBytes: number; userTotalBytes: number; uploadDir: string };
}
