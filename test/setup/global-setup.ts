import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { resolveTestServices, type TestServices } from './test-services.js';

declare global {
  var __batonTestServices: TestServices | undefined;
}

/** A fresh database and a private queue prefix for this run, published to the tests through the environment. */
export default async function globalSetup(): Promise<void> {
  const services = await resolveTestServices((line) => process.stderr.write(`[test services] ${line}\n`));
  globalThis.__batonTestServices = services;
  const suffix = randomBytes(4).toString('hex');
  const database = `baton_test_${suffix}`;
  const admin = new pg.Client({ connectionString: services.postgresServerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(services.postgresServerUrl);
  url.pathname = `/${database}`;
  process.env.BATON_TEST_SERVER_URL = services.postgresServerUrl;
  process.env.BATON_TEST_DATABASE = database;
  process.env.BATON_TEST_DATABASE_URL = url.toString();
  process.env.BATON_TEST_REDIS_URL = services.redisUrl ?? '';
  process.env.BATON_TEST_QUEUE_PREFIX = `baton_test_${suffix}`;
}
