import { z } from 'zod';
import { Email, Line, Password, pageOf, PageQuery } from './common.js';

/** The four roles, in increasing power. */
export const ROLES = ['requester', 'agent', 'manager', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The languages the web app speaks (its message catalogues). */
export const LOCALES = ['en', 'de'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/** A user as the API shows it (never with secrets). */
export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  teamIds: z.array(z.uuid()),
  /** The language the user chose; null follows the browser's language. */
  locale: Locale.nullable(),
  /** The person's line manager (who approves their catalogue requests), or null. */
  managerId: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof User>;

export const CreateUser = z.strictObject({
  email: Email,
  name: Line(200),
  role: Role.default('requester'),
  password: Password.optional(),
  teamIds: z.array(z.uuid()).max(100).default([]),
});
export type CreateUser = z.infer<typeof CreateUser>;

export const UpdateUser = z.strictObject({
  email: Email.optional(),
  name: Line(200).optional(),
  role: Role.optional(),
  active: z.boolean().optional(),
  password: Password.optional(),
  /** Required with `password` when changing one's own password (not when an admin resets someone else's). */
  currentPassword: z.string().min(1).max(512).optional(),
  /** With `password`: also revoke the user's API tokens (their other sessions always end). */
  revokeTokens: z.boolean().optional(),
  teamIds: z.array(z.uuid()).max(100).optional(),
  /** The web app's language; null goes back to following the browser. */
  locale: Locale.nullable().optional(),
  /** The line manager (admins only); null removes them. */
  managerId: z.uuid({ message: 'must be a user id' }).nullable().optional(),
});
export type UpdateUser = z.infer<typeof UpdateUser>;

export const UserQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  role: Role.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  teamId: z.uuid().optional(),
});
export type UserQuery = z.infer<typeof UserQuery>;
export const UserPage = pageOf(User);

/** GET /api/v1/people: active colleagues whose name or e-mail matches `q` (at least two characters). */
export const PeopleQuery = z.strictObject({
  q: z.string().trim().min(2, 'type at least two characters').max(100),
  limit: z.coerce.number().int().min(1).max(20).default(10),
});
export type PeopleQuery = z.infer<typeof PeopleQuery>;
/** One entry of the staff directory: only what a colleague needs to pick the right person. */
export const Person = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
export type Person = z.infer<typeof Person>;

/** A team of agents. */
export const Team = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.uuid()),
  /** A security team: its members (and admins) alone see security incidents. */
  security: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Team = z.infer<typeof Team>;

export const CreateTeam = z.strictObject({
  name: Line(120),
  description: z.string().trim().max(2000).default(''),
  memberIds: z.array(z.uuid()).max(1000).default([]),
  security: z.boolean().default(false),
});
export type CreateTeam = z.infer<typeof CreateTeam>;

export const UpdateTeam = z.strictObject({
  name: Line(120).optional(),
  description: z.string().trim().max(2000).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
  security: z.boolean().optional(),
});
export type UpdateTeam = z.infer<typeof UpdateTeam>;

export const TeamQuery = PageQuery.extend({ q: z.string().trim().max(200).optional() });
export type TeamQuery = z.infer<typeof TeamQuery>;
export const TeamPage = pageOf(Team);

/** Sign-in with e-mail and password. */
export const Login = z.strictObject({ email: Email, password: z.string().min(1).max(512) });
export type Login = z.infer<typeof Login>;

/** The signed-in user and the CSRF token to send as `X-CSRF-Token` on cookie-authenticated writes. */
export const Session = z.object({ user: User, csrfToken: z.string() });
export type Session = z.infer<typeof Session>;
/** The session of whoever asks, or null: what the web app reads at start without logging a 401. */
export const CurrentSession = z.object({ session: Session.nullable() });
export type CurrentSession = z.infer<typeof CurrentSession>;

/** A personal API token as listed (never the secret). */
export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const CreateToken = z.strictObject({
  name: Line(120),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateToken = z.infer<typeof CreateToken>;

/** The only time the secret is shown. */
export const CreatedToken = ApiToken.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;
export const TokenList = z.object({ items: z.array(ApiToken) });

/** "Forgot password": the answer is the same whether or not the address belongs to someone. */
export const ForgotPassword = z.strictObject({ email: Email });
export type ForgotPassword = z.infer<typeof ForgotPassword>;
export const ForgotPasswordAccepted = z.object({ message: z.string() });

/** Redeeming a one-time password link (invitation or reset) with the new password. */
export const SetPassword = z.strictObject({
  token: z.string().min(20).max(100),
  password: Password,
});
export type SetPassword = z.infer<typeof SetPassword>;

/** Whether this installation still needs its first admin (nothing else is told to the public). */
export const SetupState = z.object({ needed: z.boolean() });
export type SetupState = z.infer<typeof SetupState>;

/** Creating the first admin with the one-time set-up token the server printed at start. */
export const SetupAdmin = z.strictObject({
  token: z.string().min(20).max(100),
  email: Email,
  name: Line(200),
  password: Password,
});
export type SetupAdmin = z.infer<typeof SetupAdmin>;
