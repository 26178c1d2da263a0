import type { AuthSettings } from './auth/index.js';
import type { Ctx } from '../platform/context.js';

/** What the composition root hands every route module. */
export interface Deps {
  ctx: Ctx;
  auth: AuthSettings;
  /** Whether to mark cookies Secure for this request. */
  secureCookie: (protocol: string) => boolean;
  /** Largest ticket attachment accepted, in bytes. */
  attachmentMaxBytes: number;
}
