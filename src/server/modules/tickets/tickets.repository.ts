import { type RawBuilder, sql } from 'kysely';
import type { TicketStatus, TicketType } from '../../../contracts/index.js';
import type { TicketsTable } from '../../db/schema.js';
import type { Db } from '../../platform/context.js';
import { isoMicros } from '../../platform/sql.js';
import { searchQuery } from '../../platform/text-search.js';

/** Every column a ticket read needs (not the search documents). */
const COLUMNS = [
  't.id',
  't.type',
  't.number',
  't.title',
  't.description',
  't.requester_id',
  't.team_id',
  't.assignee_id',
  't.category_id',
  't.impact',
  't.urgency',
  't.priority',
  't.priority_override',
  't.status',
  't.pending_reason',
  't.created_at',
  't.updated_at',
  't.first_response_at',
  't.resolved_at',
  't.closed_at',
  't.csat_rating',
  't.csat_comment',
  't.security',
  't.version',
] as const;

/** The same columns, unqualified (for RETURNING). */
const RETURNED = COLUMNS.map((c) => c.slice(2)) as readonly Unqualified<(typeof COLUMNS)[number]>[];
type Unqualified<C> = C extends `t.${infer N}` ? N : never;

/** A ticket row. */
export type TicketRow = NonNullable<Awaited<ReturnType<typeof findVisible>>>;

/** Fields a change may write. */
export interface TicketPatch {
  title?: string;
  description?: string;
  team_id?: string | null;
  assignee_id?: string | null;
  category_id?: string | null;
  impact?: number;
  urgency?: number;
  priority?: number;
  priority_override?: boolean;
  status?: TicketStatus;
  pending_reason?: 'requester' | 'vendor' | 'change' | null;
  csat_rating?: number | null;
  csat_comment?: string | null;
  first_response_at?: Date | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
}

/** One ticket by id if `visible` lets the caller see it; `lock` takes its row lock for a write. */
export async function findVisible(db: Db, id: string, visible: RawBuilder<boolean>, lock = false) {
  let q = db.selectFrom('tickets as t').select(COLUMNS).where('t.id', '=', id).where(visible);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** One ticket by type and number if `visible` lets the caller see it. */
export async function findByNumber(db: Db, type: TicketType, n: number, visible: RawBuilder<boolean>) {
  return db
    .selectFrom('tickets as t')
    .select(COLUMNS)
    .where('t.type', '=', type)
    .where('t.number', '=', n)
    .where(visible)
    .executeTakeFirst();
}

/** The visible tickets of any type with number `n` (INC-3, REQ-3 and PRB-3 for 3), by type. */
export async function findNumbered(db: Db, n: number, visible: RawBuilder<boolean>) {
  return (
    db
      .selectFrom('tickets as t')
      .select(COLUMNS)
      // every type named, so the (type, number) unique index answers it
      .where('t.type', 'in', ['incident', 'request', 'problem'])
      .where('t.number', '=', n)
      .where(visible)
      .orderBy('t.type')
      .execute()
  );
}

/** The ids among `ids` that `visible` lets the caller see (one query, no lock). */
export async function visibleIds(db: Db, ids: readonly string[], visible: RawBuilder<boolean>) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tickets as t')
    .select('t.id')
    .where('t.id', 'in', ids)
    .where(visible)
    .execute();
  return rows.map((r) => r.id);
}

/** The type and number of each ticket among `ids` (for their keys). */
export async function numbersOf(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tickets').select(['id', 'type', 'number']).where('id', 'in', ids).execute();
}

/** The visible tickets among `ids`, locked, in id order (one order for every writer: no deadlocks). */
export async function lockVisible(db: Db, ids: readonly string[], visible: RawBuilder<boolean>) {
  return db
    .selectFrom('tickets as t')
    .select(COLUMNS)
    .where('t.id', 'in', ids)
    .where(visible)
    .orderBy('t.id')
    .forUpdate()
    .execute();
}

const NUMBER_SEQUENCE: Record<TicketType, string> = {
  incident: 'ticket_number_incident',
  request: 'ticket_number_request',
  problem: 'ticket_number_problem',
};

/**
 * The next numbers for tickets of `types`, one each in order, from their sequences: they never wait for
 * another creator (a counter row would serialise them until commit), and a rolled-back creation leaves a
 * gap, never a duplicate.
 */
export async function nextNumbers(db: Db, types: readonly TicketType[]): Promise<number[]> {
  const r = await sql<{ n: string | number }>`SELECT nextval(s.seq::regclass) AS n
    FROM unnest(${types.map((t) => NUMBER_SEQUENCE[t])}::text[]) WITH ORDINALITY AS s(seq, ord)
    ORDER BY s.ord`.execute(db);
  return r.rows.map((row) => Number(row.n));
}

/** A new ticket's row, as written. */
export type NewTicket = Omit<
  TicketsTable,
  | 'id'
  | 'search_public'
  | 'search_all'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'priority_override'
  | 'description'
  | 'first_response_at'
  | 'resolved_at'
  | 'closed_at'
  | 'security'
  | 'csat_rating'
  | 'csat_comment'
> & {
  description: string;
  priority_override: boolean;
};

/** Inserts tickets in one statement; returns their rows in the same order. */
export async function insertMany(db: Db, rows: readonly NewTicket[]): Promise<TicketRow[]> {
  return db
    .insertInto('tickets')
    .values([...rows])
    .returning(RETURNED)
    .execute();
}

/** Writes a change; with `version`, only if the ticket is still at it (undefined when stale). */
export async function update(db: Db, id: string, patch: TicketPatch, version?: number) {
  let q = db
    .updateTable('tickets')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.returning('id').executeTakeFirst();
  return r?.id;
}

/** Reads a ticket again after a write (inside the same transaction, so no visibility filter). */
export async function reload(db: Db, id: string) {
  return db.selectFrom('tickets as t').select(COLUMNS).where('t.id', '=', id).executeTakeFirstOrThrow();
}

/** Ids of tickets resolved before `cutoff`, oldest first (for the auto-close job). */
export async function resolvedBefore(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('status', '=', 'resolved')
    .where('resolved_at', '<', cutoff)
    .orderBy('resolved_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** A timeline event: a field or status change, the creation, an attachment or a link. */
export interface NewEvent {
  ticketId: string;
  actorId: string | null;
  actorLabel: string;
  kind: 'created' | 'status' | 'field' | 'attachment' | 'link';
  field: string | null;
  from: unknown;
  to: unknown;
  /** Hidden from requesters (e.g. an attachment on an internal note). */
  internal?: boolean;
}

/** Records a field or status change (or the creation) in the ticket's timeline. */
export async function insertEvent(db: Db, e: NewEvent): Promise<void> {
  await insertEvents(db, [e]);
}

/** Records several timeline events in one statement. */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('ticket_events')
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        actor_id: e.actorId,
        actor_label: e.actorLabel,
        kind: e.kind,
        field: e.field,
        old_value: e.from === null || e.from === undefined ? null : JSON.stringify(e.from),
        new_value: e.to === null || e.to === undefined ? null : JSON.stringify(e.to),
        internal: e.internal ?? false,
      })),
    )
    .execute();
}

/** An active user's role, or undefined when there is no such active user. */
export async function activeUserRole(db: Db, userId: string) {
  const r = await db
    .selectFrom('users')
    .select('role')
    .where('id', '=', userId)
    .where('active', '=', true)
    .executeTakeFirst();
  return r?.role;
}

/** Whether a team exists. */
export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined
  );
}

/** Whether a user is a member of a team. */
export async function isMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r !== undefined;
}

/** List filters, already resolved (`assignee: me` is a user id by now). */
export interface ListFilter {
  status?: readonly TicketStatus[] | undefined;
  type?: readonly TicketType[] | undefined;
  priority?: readonly number[] | undefined;
  teamId?: string | undefined;
  assignee?: string | null | undefined;
  categoryId?: string | undefined;
  requesterId?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
  sla?: readonly string[] | undefined;
  dueBefore?: string | undefined;
  q?: string | undefined;
  /** Custom field values (canonical text), all of which must match. */
  fields?: readonly { fieldId: string; value: string }[] | undefined;
}

/** A due time as a sort key: tickets without one sort after every real due time. */
const dueKey = (col: string) => sql`COALESCE(${sql.ref(col)}, '9999-12-31T00:00:00Z'::timestamptz)`;
const LIVE_CLOCK = sql`('running', 'warning', 'breached')`;

/** Sort keys: the column compared and ordered by, and how a cursor's value is cast back to its type. */
const SORT_KEYS = {
  created: { col: sql`t.created_at`, cast: (v: string | number) => sql`${v}::timestamptz` },
  updated: { col: sql`t.updated_at`, cast: (v: string | number) => sql`${v}::timestamptz` },
  priority: { col: sql`t.priority`, cast: (v: string | number) => sql`${v}::smallint` },
  number: { col: sql`t.number`, cast: (v: string | number) => sql`${v}::integer` },
  relevance: { col: sql`t.rank`, cast: (v: string | number) => sql`${v}::real` },
  response_due: { col: sql`t.response_due_key`, cast: (v: string | number) => sql`${v}::timestamptz` },
  resolution_due: { col: sql`t.resolution_due_key`, cast: (v: string | number) => sql`${v}::timestamptz` },
} as const;

/** The sortable keys. */
export type SortKey = keyof typeof SORT_KEYS;

/** A cursor must round-trip exactly: timestamps as ISO UTC text with microseconds (a Date has only ms). */
function keyText(sort: SortKey, rank: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (sort) {
    case 'created':
      return isoMicros(sql`t.created_at`);
    case 'updated':
      return isoMicros(sql`t.updated_at`);
    case 'priority':
      return sql`t.priority`;
    case 'number':
      return sql`t.number`;
    case 'relevance':
      return rank;
    case 'response_due':
      return isoMicros(dueKey('s.response_due_at'));
    case 'resolution_due':
      return isoMicros(dueKey('s.resolution_due_at'));
  }
}

function filterSql(f: ListFilter, search: RawBuilder<unknown>): RawBuilder<boolean>[] {
  const w: RawBuilder<boolean>[] = [];
  if (f.status) w.push(sql<boolean>`t.status IN (${sql.join(f.status)})`);
  if (f.type) w.push(sql<boolean>`t.type IN (${sql.join(f.type)})`);
  if (f.priority) w.push(sql<boolean>`t.priority IN (${sql.join(f.priority)})`);
  if (f.teamId) w.push(sql<boolean>`t.team_id = ${f.teamId}`);
  if (f.assignee === null) w.push(sql<boolean>`t.assignee_id IS NULL`);
  else if (f.assignee) w.push(sql<boolean>`t.assignee_id = ${f.assignee}`);
  if (f.categoryId) w.push(sql<boolean>`t.category_id = ${f.categoryId}`);
  if (f.requesterId) w.push(sql<boolean>`t.requester_id = ${f.requesterId}`);
  if (f.createdFrom) w.push(sql<boolean>`t.created_at >= ${f.createdFrom}::timestamptz`);
  if (f.createdTo) w.push(sql<boolean>`t.created_at < ${f.createdTo}::timestamptz`);
  if (f.updatedFrom) w.push(sql<boolean>`t.updated_at >= ${f.updatedFrom}::timestamptz`);
  if (f.updatedTo) w.push(sql<boolean>`t.updated_at < ${f.updatedTo}::timestamptz`);
  if (f.q) w.push(sql<boolean>`${search} @@ ${searchQuery(f.q)}`);
  for (const c of f.fields ?? []) {
    w.push(sql<boolean>`EXISTS (SELECT 1 FROM ticket_field_values fv WHERE fv.ticket_id = t.id
      AND fv.field_id = ${c.fieldId} AND fv.value = ${c.value})`);
  }
  if (f.sla) {
    w.push(
      sql<boolean>`(s.response_state IN (${sql.join(f.sla)}) OR s.resolution_state IN (${sql.join(f.sla)}))`,
    );
  }
  if (f.dueBefore) {
    const at = sql`${f.dueBefore}::timestamptz`;
    w.push(sql<boolean>`((s.response_state IN ${LIVE_CLOCK} AND s.response_due_at < ${at})
      OR (s.resolution_state IN ${LIVE_CLOCK} AND s.resolution_due_at < ${at}))`);
  }
  return w;
}

/**
 * A page of visible tickets matching `f`, ordered by `sort` (then id) in `dir`, after the keyset position
 * `after` = [sort key, id]. With `q`, each row also carries its text-search rank (`relevance` sorts by it).
 */
export async function page(
  db: Db,
  opts: {
    visible: RawBuilder<boolean>;
    search: RawBuilder<unknown>;
    filter: ListFilter;
    sort: SortKey;
    dir: 'asc' | 'desc';
    after?: [string | number, string] | undefined;
    limit: number;
  },
) {
  const { filter: f, sort, dir } = opts;
  const rank = f.q ? sql`ts_rank(${opts.search}, ${searchQuery(f.q)})` : sql`0::real`;
  const where = [opts.visible, ...filterSql(f, opts.search)];
  const key = SORT_KEYS[sort];
  // The keyset condition compares (key, id) as a row in the sort's direction; it sits on the derived table
  // so the rank can be compared like any column (PostgreSQL flattens it, so the indexes still apply).
  const outer: RawBuilder<boolean>[] = [];
  if (opts.after) {
    const [k, id] = opts.after;
    outer.push(
      sql<boolean>`(${key.col}, t.id) ${sql.raw(dir === 'asc' ? '>' : '<')} (${key.cast(k)}, ${id}::uuid)`,
    );
  }
  const order = sql.raw(dir === 'asc' ? 'ASC' : 'DESC');
  const cols = sql.join(COLUMNS.map((c) => sql.ref(c)));
  const r = await sql<TicketRow & SlaColumns & { sort_key: string | number; rank: number }>`
    SELECT * FROM (
      SELECT ${cols}, ${rank} AS rank, ${keyText(sort, rank)} AS sort_key,
        s.ticket_id AS sla_ticket_id, s.response_state AS sla_response_state,
        s.response_due_at AS sla_response_due_at, s.resolution_state AS sla_resolution_state,
        s.resolution_due_at AS sla_resolution_due_at,
        ${dueKey('s.response_due_at')} AS response_due_key, ${dueKey('s.resolution_due_at')} AS resolution_due_key
      FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id
      WHERE ${sql.join(where, sql` AND `)}
    ) t
    ${outer.length > 0 ? sql`WHERE ${sql.join(outer, sql` AND `)}` : sql``}
    ORDER BY ${key.col} ${order}, t.id ${order}
    LIMIT ${opts.limit}`.execute(db);
  return r.rows;
}

/** The SLA projection columns of a list row (null without a projection). */
export interface SlaColumns {
  sla_ticket_id: string | null;
  sla_response_state: string | null;
  sla_response_due_at: Date | null;
  sla_resolution_state: string | null;
  sla_resolution_due_at: Date | null;
}

/** How many visible tickets match `f`. */
export async function count(
  db: Db,
  visible: RawBuilder<boolean>,
  search: RawBuilder<unknown>,
  f: ListFilter,
) {
  const where = [visible, ...filterSql(f, search)];
  const r = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM tickets t
    ${f.sla || f.dueBefore ? sql`LEFT JOIN ticket_sla s ON s.ticket_id = t.id` : sql``}
    WHERE ${sql.join(where, sql` AND `)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Of `ids`, the configuration items that exist and (with `ownerId`) belong to that user. */
export async function usableCis(
  db: Db,
  ids: readonly string[],
  ownerId: string | null,
): Promise<Set<string>> {
  const r = await sql<{ id: string }>`SELECT id FROM cis WHERE id = ANY(${[...ids]}::uuid[])
    ${ownerId ? sql`AND owner_id = ${ownerId}` : sql``}`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

/** Links tickets to configuration items. */
export async function linkCis(db: Db, links: readonly { ticketId: string; ciId: string }[]): Promise<void> {
  if (links.length === 0) return;
  await sql`INSERT INTO ticket_cis (ticket_id, ci_id)
    SELECT * FROM unnest(${links.map((l) => l.ticketId)}::uuid[], ${links.map((l) => l.ciId)}::uuid[])
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Tickets linked to an item that `visible` lets the caller see, newest first (open ones only with `open`). */
export async function ticketsOfCi(db: Db, ciId: string, visible: RawBuilder<boolean>, open: boolean) {
  return db
    .selectFrom('tickets as t')
    .select(COLUMNS)
    .where(sql<boolean>`t.id IN (SELECT ticket_id FROM ticket_cis WHERE ci_id = ${ciId})`)
    .where(visible)
    .$if(open, (q) => q.where('t.status', 'in', ['new', 'assigned', 'in_progress', 'pending']))
    .orderBy('t.created_at', 'desc')
    .limit(200)
    .execute();
}

/** Sets or clears a ticket's security flag; the row as it now is (undefined when it is gone). */
export async function setSecurity(db: Db, id: string, security: boolean) {
  return db
    .updateTable('tickets')
    .set({ security, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .returning(RETURNED)
    .executeTakeFirst();
}
