// `npm run backup -- [FILE]`: a pg_dump (custom format, one consistent snapshot) of Baton's database, the one
// DATABASE_URL names or the embedded one (scripts/backup-restore.mjs). Redis needs no backup: after a restore
// the workers put every scheduled timer, pending delivery and unfinished job back from PostgreSQL.
//
// Exit code: 0 written; 2 refused (no database, no pg_dump fit for the server; the line says what to do).
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  contents,
  openDatabase,
  Refusal,
  runOn,
  serverMajor,
  shown,
  tool,
  withClient,
} from './backup-restore.mjs';

async function main() {
  const database = await openDatabase('use');
  try {
    const { major, facts } = await withClient(database.url, async (client) => ({
      major: await serverMajor(client),
      facts: await contents(client),
    }));
    const pgDump = await tool('pg_dump', major);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = resolve(
      process.argv[2] ?? `${process.env.BATON_DATA_DIR ?? '.baton'}/backups/baton-${stamp}.dump`,
    );
    await mkdir(dirname(file), { recursive: true });
    await runOn(pgDump, ['--format=custom', '--no-owner', '--no-privileges', '--file', file], database.url);
    const { size } = await stat(file);
    console.log(
      `Backed up ${shown(database.url)} (PostgreSQL ${major}; installation ${facts.installation}: ` +
        `${facts.deliverables} deliverables, ${facts.timers} scheduled timers, ${facts.events} audit events) ` +
        `to ${file} (${size.toLocaleString('en')} bytes)`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Refusal ? error.message : (error.stack ?? String(error)));
  process.exit(error instanceof Refusal ? 2 : 1);
});
