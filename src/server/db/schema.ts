import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: read as Date, written as Date or ISO string, defaulted by the database. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<Record<string, unknown> | null, string | null, string | null>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: 'requester' | 'agent' | 'manager' | 'admin';
  active: Generated<boolean>;
  password_hash: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: Timestamp;
  locked_until: NullableTimestamp;
}

export interface AuditLogTable {
  /** bigserial: parsed as a string by both drivers (int8). */
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  ip: string | null;
  seq: ColumnType<string | null, never, string>;
  prev_hash: ColumnType<string | null, never, string>;
  hash: ColumnType<string | null, never, string>;
  /** Why the sealer refused to chain the entry (dated before the chain head); null for chained entries. */
  refused: ColumnType<string | null, never, string>;
}

export interface AuditChainHeadTable {
  singleton: Generated<boolean>;
  seq: string;
  hash: string;
  /** The newest `at` of the chained entries: the sealer refuses entries dated before it. */
  at: Date | null;
  /** The first keyed position; entries before it were sealed unkeyed (before migration 0021). */
  keyed_from: string | null;
  /** HMAC over (seq, hash, at, keyed_from) with the chain key; null only for a head not yet sealed keyed. */
  mac: string | null;
  /** Identifies the key the chain is sealed with (derived from it, reveals nothing). */
  key_id: string | null;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface CategoriesTable {
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  description: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TicketsTable {
  id: Generated<string>;
  type: 'incident' | 'request' | 'problem';
  number: number;
  title: string;
  description: Generated<string>;
  requester_id: string;
  team_id: string | null;
  assignee_id: string | null;
  category_id: string | null;
  impact: number;
  urgency: number;
  priority: number;
  priority_override: Generated<boolean>;
  status: 'new' | 'assigned' | 'in_progress' | 'pending' | 'resolved' | 'closed' | 'cancelled';
  pending_reason: 'requester' | 'vendor' | 'change' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  first_response_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  csat_rating: number | null;
  csat_comment: string | null;
  /** Maintained by triggers; never written by the application. */
  search_public: ColumnType<string, never, never>;
  search_all: ColumnType<string, never, never>;
  version: Generated<number>;
}

export interface TicketCommentsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  ticket_id: string;
  author_id: string | null;
  author_label: string;
  body: string;
  internal: boolean;
  created_at: Timestamp;
}

export interface TicketEventsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  ticket_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  kind: 'created' | 'status' | 'field' | 'routing' | 'attachment' | 'link';
  field: string | null;
  old_value: ColumnType<unknown, string | null, string | null>;
  new_value: ColumnType<unknown, string | null, string | null>;
  /** Hidden from requesters (an attachment on an internal note). */
  internal: Generated<boolean>;
}

export interface TicketAttachmentsTable {
  id: Generated<string>;
  ticket_id: string;
  comment_id: string | null;
  internal: boolean;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploader_id: string | null;
  uploader_label: string;
  created_at: Timestamp;
}

export interface TicketAttachmentChunksTable {
  attachment_id: string;
  seq: number;
  data: Buffer;
}

export interface TicketLinksTable {
  id: Generated<string>;
  kind: 'problem' | 'parent' | 'duplicate';
  from_id: string;
  to_id: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TicketWatchersTable {
  ticket_id: string;
  user_id: string;
  added_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<string>;
  owner_id: string;
  name: string;
  filters: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface BackupTargetsTable {
  id: Generated<string>;
  name: string;
  kind: 'local' | 's3' | 'sftp' | 'rest';
  location: string;
  /** Credentials as JSON, sealed under the master key (platform/envelope.ts). */
  secrets: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface BackupRepositoriesTable {
  id: Generated<string>;
  ci_id: string;
  target_id: string;
  folder: string;
  /** The repository password, sealed under the master key. */
  password: string;
  created_at: Timestamp;
}

type JsonOf<T> = ColumnType<T, string, string>;

export interface BackupPoliciesTable {
  id: Generated<string>;
  name: string;
  schedule: JsonOf<Record<string, unknown>>;
  cron: string;
  time_zone: string;
  paths: JsonOf<{ linux: string[]; windows: string[]; macos: string[] }>;
  excludes: JsonOf<string[]>;
  exclude_caches: Generated<boolean>;
  exclude_larger_than: ColumnType<string | null, number | null | undefined, number | null>;
  retention: JsonOf<Record<string, number | string>>;
  rpo_minutes: number;
  upload_limit_kib: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface BackupPolicyAssignmentsTable {
  id: Generated<string>;
  policy_id: string;
  scope: 'item' | 'location' | 'team' | 'class';
  ref: string;
  created_at: Timestamp;
}

export interface BackupRunsTable {
  id: Generated<string>;
  ci_id: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  status: 'succeeded' | 'partial' | 'failed';
  snapshot_id: string | null;
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  bytes_processed: ColumnType<string, number, number>;
  bytes_added: ColumnType<string, number, number>;
  warnings: JsonOf<string[]>;
  error: string | null;
  reported_at: Timestamp;
}

export interface BackupRestoresTable {
  id: Generated<string>;
  source_ci_id: string;
  snapshot_id: string;
  paths: JsonOf<string[]>;
  dest_ci_id: string;
  dest_folder: string;
  overwrite: 'never' | 'if-newer' | 'always';
  state: Generated<'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'>;
  ticket_id: string | null;
  requested_by: string | null;
  requested_label: string;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  files_done: Generated<number>;
  files_total: Generated<number>;
  bytes_done: ColumnType<string, number | undefined, number>;
  bytes_total: ColumnType<string, number | undefined, number>;
  skipped: ColumnType<string[], string | undefined, string>;
  verified: boolean | null;
  problems: ColumnType<string[], string | undefined, string>;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every table Kysely knows about. */
export interface DB {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  schema_migrations: SchemaMigrationsTable;
  categories: CategoriesTable;
  settings: SettingsTable;
  tickets: TicketsTable;
  ticket_comments: TicketCommentsTable;
  ticket_events: TicketEventsTable;
  ticket_watchers: TicketWatchersTable;
  ticket_attachments: TicketAttachmentsTable;
  ticket_attachment_chunks: TicketAttachmentChunksTable;
  ticket_links: TicketLinksTable;
  saved_views: SavedViewsTable;
  backup_targets: BackupTargetsTable;
  backup_repositories: BackupRepositoriesTable;
  backup_policies: BackupPoliciesTable;
  backup_policy_assignments: BackupPolicyAssignmentsTable;
  backup_runs: BackupRunsTable;
  backup_restores: BackupRestoresTable;
}
