import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own for one test file, on the run's server; drop() removes it. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.BATON_TEST_SERVER_URL!;
  const name = `baton_scratch_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
