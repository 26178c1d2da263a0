/**
 * Set-based bulk load of a realistic service desk: teams, agents, requesters, tickets and comments, with the
 * search documents computed in one pass (the per-row triggers are off during the load and back on after).
 * Runs on PostgreSQL and on PGlite: plain SQL, generate_series, no COPY.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';

/** A word in about 1,000 tickets, for the full-text search figure. */
export const PLANTED = 'zebracorn';

/** Everyday words, drawn with a skew (word k has weight ~ 1/k), so a few are everywhere and most are rare. */
const WORDS = (
  'printer network laptop password email outlook vpn wifi screen monitor keyboard mouse docking station ' +
  'license install update crash slow error login account locked reset phone mobile teams meeting calendar ' +
  'share drive folder permission access server backup restore disk full memory cpu fan noise battery ' +
  'charger cable port usb bluetooth headset camera microphone audio sound video driver firmware bios ' +
  'boot windows linux mac office excel word powerpoint pdf scan scanner toner paper jam queue spooler ' +
  'certificate expired browser chrome firefox edge proxy dns dhcp ip address router switch firewall ' +
  'antivirus virus phishing spam quarantine sharepoint onedrive sync conflict version rollback patch ' +
  'ticket request order purchase approval manager onboarding offboarding contract vendor warranty repair'
).split(' ');

/** Rows loaded, for the report. */
export interface LoadedDesk {
  tickets: number;
  comments: number;
  teams: number;
  agents: number;
  requesters: number;
  planted: number;
  /** Load time in seconds (0 when an existing load was reused). */
  seconds: number;
}

async function count(db: Database['db'], table: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Loads `tickets` tickets and `comments` comments unless the database already holds exactly that many.
 * 20 teams, 10 agents each (every agent in one team, the first two in a second one too), `requesters`
 * requesters; 85 % of tickets closed; titles and bodies from the skewed vocabulary; the planted word in
 * `planted` tickets (every n-th one's description).
 */
export async function loadDesk(
  database: Database,
  opts: { tickets: number; comments: number; requesters: number; planted: number; log: (s: string) => void },
): Promise<LoadedDesk> {
  const db = database.db;
  const have = { tickets: await count(db, 'tickets'), comments: await count(db, 'ticket_comments') };
  const base = {
    tickets: opts.tickets,
    comments: opts.comments,
    teams: 20,
    agents: 200,
    requesters: opts.requesters,
    planted: opts.planted,
  };
  // Tickets created by an earlier run's creation phase are removed by that run; a few left by an aborted
  // run do not matter.
  if (have.tickets >= opts.tickets && have.tickets < opts.tickets * 1.01 && have.comments >= opts.comments) {
    opts.log(`reusing the loaded desk (${have.tickets} tickets, ${have.comments} comments)`);
    return { ...base, seconds: 0 };
  }
  if (have.tickets > 0) throw new Error('the benchmark database holds other tickets: drop it first');
  const t0 = performance.now();
  const words = sql.raw(`array[${WORDS.map((w) => `'${w}'`).join(',')}]`);
  const nw = WORDS.length;
  // A word drawn with weight ~1/k: floor(n^u) for uniform u is log-uniform over 1..n.
  const word = sql`(${words})[1 + floor(power(${nw}::float8, random()))::int % ${nw}]`;
  const sentence = (n: number) =>
    sql.join(
      Array.from({ length: n }, () => word),
      sql` || ' ' || `,
    );
  opts.log('teams, agents, requesters');
  await sql`INSERT INTO teams (name) SELECT 'Team ' || g FROM generate_series(1, 20) g`.execute(db);
  await sql`INSERT INTO users (email, name, role) SELECT 'agent' || g || '@bench.example', 'Agent ' || g, 'agent'
    FROM generate_series(1, 200) g`.execute(db);
  await sql`INSERT INTO users (email, name, role) SELECT 'user' || g || '@bench.example', 'User ' || g, 'requester'
    FROM generate_series(1, ${opts.requesters}::int) g`.execute(db);
  await sql`INSERT INTO users (email, name, role) VALUES ('manager@bench.example', 'Manager', 'manager')`.execute(
    db,
  );
  await sql`CREATE TEMP TABLE bench_teams AS SELECT row_number() OVER (ORDER BY name) - 1 AS k, id FROM teams`.execute(
    db,
  );
  await sql`CREATE TEMP TABLE bench_agents AS SELECT row_number() OVER (ORDER BY email) - 1 AS k, id FROM users WHERE role = 'agent'`.execute(
    db,
  );
  await sql`CREATE TEMP TABLE bench_users AS SELECT row_number() OVER (ORDER BY email) - 1 AS k, id FROM users WHERE role = 'requester'`.execute(
    db,
  );
  await sql`INSERT INTO team_members (team_id, user_id)
    SELECT t.id, a.id FROM bench_agents a JOIN bench_teams t ON t.k = a.k % 20
    UNION SELECT t.id, a.id FROM bench_agents a JOIN bench_teams t ON t.k = (a.k + 1) % 20 WHERE a.k < 2`.execute(
    db,
  );

  opts.log(`${opts.tickets} tickets`);
  await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_search`.execute(db);
  await sql`ALTER TABLE ticket_comments DISABLE TRIGGER ticket_comments_search`.execute(db);
  const every = Math.max(1, Math.floor(opts.tickets / opts.planted));
  const batch = 100_000;
  for (let from = 1; from <= opts.tickets; from += batch) {
    const to = Math.min(opts.tickets, from + batch - 1);
    await sql`
      INSERT INTO tickets (type, number, title, description, requester_id, team_id, assignee_id, impact, urgency,
                           priority, status, pending_reason, created_at, updated_at, resolved_at, closed_at)
      SELECT x.type, x.g, x.title, x.description, u.id, t.id,
             CASE WHEN x.status = 'new' THEN NULL ELSE a.id END,
             x.impact, x.urgency, least(5, greatest(1, (x.impact + x.urgency) / 2)), x.status,
             CASE WHEN x.status = 'pending' THEN 'requester' END,
             x.created, x.created + interval '2 hours',
             CASE WHEN x.status IN ('resolved', 'closed') THEN x.created + interval '1 day' END,
             CASE WHEN x.status = 'closed' THEN x.created + interval '8 days' END
      FROM (
        SELECT g,
               (array['incident','incident','incident','incident','incident','incident','request','request','request','problem'])[1 + g % 10] AS type,
               ${sentence(4)} AS title,
               ${sentence(12)} || CASE WHEN g % ${every}::int = 0 THEN ' ${sql.raw(PLANTED)}' ELSE '' END AS description,
               -- independent of the team (g % 20) and of each other
               1 + ((g::bigint * 2654435761) % 1000003) % 5 AS impact,
               1 + ((g::bigint * 40503) % 999983) % 5 AS urgency,
               -- a status independent of the team (g % 20): every team has its share of open tickets
               CASE WHEN h < 85 THEN 'closed' WHEN h < 88 THEN 'resolved' WHEN h < 91 THEN 'new'
                    WHEN h < 94 THEN 'assigned' WHEN h < 98 THEN 'in_progress' ELSE 'pending' END AS status,
               timestamptz '2025-01-01' + (g::float8 / ${opts.tickets}::float8) * interval '690 days' AS created
          FROM generate_series(${from}::int, ${to}::int) g, LATERAL (SELECT (g::bigint * 7727) % 10007 % 100 AS h) hh
      ) x
      JOIN bench_users u ON u.k = (x.g::bigint * 7919) % ${opts.requesters}::int
      JOIN bench_teams t ON t.k = x.g % 20
      JOIN bench_agents a ON a.k = (x.g % 20) + 20 * ((x.g / 20) % 10)`.execute(db);
    opts.log(`  ${to} tickets`);
  }
  for (const type of ['incident', 'request', 'problem']) {
    await sql`SELECT setval(${`ticket_number_${type}`}::regclass, greatest(1, (SELECT max(number) FROM tickets WHERE type = ${type})))`.execute(
      db,
    );
  }
  await sql`CREATE TEMP TABLE bench_tix AS SELECT row_number() OVER (ORDER BY created_at, id) - 1 AS k, id, requester_id, assignee_id, created_at FROM tickets`.execute(
    db,
  );
  await sql`CREATE INDEX ON bench_tix (k)`.execute(db);

  opts.log(`${opts.comments} comments`);
  for (let from = 0; from < opts.comments; from += batch) {
    const to = Math.min(opts.comments, from + batch) - 1;
    await sql`
      INSERT INTO ticket_comments (ticket_id, author_id, author_label, body, internal, created_at)
      SELECT x.id, CASE WHEN g % 3 = 0 THEN x.requester_id ELSE x.assignee_id END, 'bench',
             ${sentence(20)}, g % 5 = 4, x.created_at + (g % 7) * interval '1 hour'
        FROM generate_series(${from}::int, ${to}::int) g
        JOIN bench_tix x ON x.k = (g::bigint * 2654435761 % ${opts.tickets}::bigint)`.execute(db);
    opts.log(`  ${to + 1} comments`);
  }

  opts.log('search documents');
  await sql`
    UPDATE tickets t SET
      search_public = setweight(to_tsvector('simple', t.title || ' ' || search_compounds(t.title)), 'A')
                      || setweight(to_tsvector('simple', t.description || ' ' || search_compounds(t.description)), 'B')
                      || setweight(to_tsvector('simple', c.pub || ' ' || search_compounds(c.pub)), 'C'),
      search_all = setweight(to_tsvector('simple', t.title || ' ' || search_compounds(t.title)), 'A')
                   || setweight(to_tsvector('simple', t.description || ' ' || search_compounds(t.description)), 'B')
                   || setweight(to_tsvector('simple', c.everything || ' ' || search_compounds(c.everything)), 'C')
    FROM (
      SELECT x.id,
             left(coalesce(string_agg(c.body, ' ' ORDER BY c.seq) FILTER (WHERE NOT c.internal), ''), 200000) AS pub,
             left(coalesce(string_agg(c.body, ' ' ORDER BY c.seq), ''), 200000) AS everything
        FROM tickets x LEFT JOIN ticket_comments c ON c.ticket_id = x.id
       GROUP BY x.id
    ) c
    WHERE c.id = t.id`.execute(db);
  await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_search`.execute(db);
  await sql`ALTER TABLE ticket_comments ENABLE TRIGGER ticket_comments_search`.execute(db);
  opts.log('analyze');
  await sql`ANALYZE`.execute(db);
  return { ...base, seconds: (performance.now() - t0) / 1000 };
}
