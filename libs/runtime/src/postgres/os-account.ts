import { execFile } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The OS user embedded PostgreSQL runs as when Baton runs as root (PostgreSQL refuses root). */
export const POSTGRES_USER = 'postgres';

export interface OsAccount {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user, created if missing. */
export async function osAccount(log: (line: string) => void): Promise<OsAccount | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const found = await lookupAccount(POSTGRES_USER);
  if (found) return found;
  log(`PostgreSQL: creating OS user ${POSTGRES_USER} (PostgreSQL does not run as root)`);
  await run('groupadd', ['--system', POSTGRES_USER]).catch(() => undefined); // may exist already
  await run('useradd', [
    '--system',
    '--gid',
    POSTGRES_USER,
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    POSTGRES_USER,
  ]);
  const created = await lookupAccount(POSTGRES_USER);
  if (!created) throw new Error(`Could not create the OS user ${POSTGRES_USER} to run PostgreSQL`);
  return created;
}

async function lookupAccount(name: string): Promise<OsAccount | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}

/**
 * The `postgres` OS user must be able to traverse every folder above `path` (its data, and the
 * binaries in node_modules). Only `fixable`, Baton's own data folder, is opened up if needed.
 */
export async function ensureReachable(
  path: string,
  account: OsAccount,
  log: (line: string) => void,
  fixable?: string,
): Promise<void> {
  for (let directory = path; ; directory = dirname(directory)) {
    const info = await stat(directory);
    const bit = info.uid === account.uid ? 0o100 : info.gid === account.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      if (directory !== fixable) {
        throw new Error(
          `PostgreSQL runs as OS user ${POSTGRES_USER}, which cannot reach ${path}: ${directory} is not searchable by it. ` +
            `Move it elsewhere or allow it (chmod o+x ${directory}).`,
        );
      }
      log(`PostgreSQL: letting OS user ${POSTGRES_USER} traverse ${directory}`);
      await chmod(directory, (info.mode & 0o7777) | 0o011);
    }
    if (dirname(directory) === directory) return;
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile(command, args, (error, stdout) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}`));
      else resolvePromise(stdout.trim());
    }),
  );
}
