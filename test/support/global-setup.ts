import pg from 'pg';
import { testRun } from './test-run.js';

/**
 * Gives the run its id (inherited by the workers), and after the run drops the template and test databases this
 * run's workers made on PostgreSQL; databases of another run going on beside it are left alone.
 */
export default function setup(): () => Promise<void> {
  const run = testRun();
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
        [`steward\\_tpl\\_${run}\\_%`, `steward\\_test\\_${run}\\_%`],
      );
      for (const { datname } of r.rows)
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
