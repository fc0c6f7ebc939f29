/**
 * CI's drift check: on a fresh database, run every migration, then ask TypeORM to generate a migration
 * from the entities. Exits 1 (printing the SQL) when that migration would not be empty.
 *   node dist/libs/persistence/src/cli/migration-check.js [--print]   (DATABASE_URL: a server to use)
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDataSource } from '../data-source.js';
import { schemaDrift } from '../schema-drift.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const printOnly = process.argv.includes('--print');
const database = `baton_drift_${randomBytes(4).toString('hex')}`;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const url = new URL(serverUrl);
url.pathname = `/${database}`;
const dataSource = createDataSource({ url: url.toString(), poolSize: 2 });
let exitCode = 0;
try {
  await dataSource.initialize();
  if (!printOnly) await dataSource.runMigrations({ transaction: 'all' });
  const drift = await schemaDrift(dataSource);
  if (printOnly) {
    console.log(drift.up.map((sql) => `${sql};`).join('\n'));
    console.log('-- down');
    console.log(drift.down.map((sql) => `${sql};`).join('\n'));
  } else if (drift.up.length > 0) {
    exitCode = 1;
    console.error('Entities and migrations differ. A generated migration would run:');
    for (const sql of drift.up) console.error(`  ${sql};`);
  } else {
    console.log('migration check: entities and migrations agree');
  }
} finally {
  await dataSource.destroy().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
process.exit(exitCode);
