/**
 * Applies the migrations a database lacks, then exits: for a deployment that migrates once before its
 * processes start (docker/k8s/migrate-job.yaml). Every Baton process also migrates at start, under an
 * advisory lock, so this is a choice of when, not a requirement.
 *   DATABASE_URL=... node dist/libs/persistence/src/cli/migrate.js
 * Exit code: 0 the schema is current (the migrations applied are named), 1 it could not be made so.
 */
import 'reflect-metadata';
import { Database } from '../database.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: name the database to migrate');
  process.exit(1);
}
const db = await Database.connect({ url, poolSize: 2, applicationName: 'baton-migrate' });
try {
  const ran = await db.migrate();
  console.log(
    ran.length === 0
      ? 'Migrations: the schema is current'
      : `Migrations: applied ${ran.length} (${ran.join(', ')})`,
  );
} catch (error) {
  console.error(`Migrations failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
