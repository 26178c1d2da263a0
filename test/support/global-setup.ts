import pg from 'pg';

/** After the run, drops the template and test databases the workers made on PostgreSQL. */
export default function setup(): () => Promise<void> {
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'steward\\_tpl\\_%' OR datname LIKE 'steward\\_test\\_%'",
      );
      for (const { datname } of r.rows)
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
