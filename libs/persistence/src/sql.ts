import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type DataSource } from 'typeorm';
import { isConnectionError } from './connection-errors.js';

/** Runs one statement; `values` are its $1, $2, ... parameters. */
export type Query = <T = Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<T[]>;

/** Distinct statement texts whose names are remembered (texts beyond that are hashed on each call). */
const REMEMBERED = 2000;

/**
 * The stores' way to PostgreSQL: statements on TypeORM's own pool, sent as named (prepared) statements,
 * so each connection parses and plans a statement text once rather than on every call; the name is a hash
 * of the text, so one name never stands for two texts. TypeORM keeps the pool, the migrations and the
 * entity metadata; its per-query runner is skipped, which costs more than the query on the hot paths.
 */
export class Sql {
  private readonly names = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  private get pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  readonly query: Query = async <T>(text: string, values: readonly unknown[] = []): Promise<T[]> => {
    const result = await this.pool.query({ name: this.nameOf(text), text, values: [...values] });
    return result.rows as T[];
  };

  /** Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no listener of the pool's: a connection lost mid-transaction emits 'error',
    // which would end the process unheard. The failing query rejects too; that is what the caller sees.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(async <R>(text: string, values: readonly unknown[] = []) => {
        const answer = await client.query({ name: this.nameOf(text), text, values: [...values] });
        return answer.rows as R[];
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
      throw error;
    } finally {
      client.off('error', onError);
      // A connection that failed is closed rather than given back to the pool.
      client.release(broken);
    }
  }

  /**
   * Runs `work` on one connection, each statement committed on its own: for a session-level advisory lock
   * around statements that must each stand alone (event rows are never written by a transaction of several).
   */
  async session<T>(work: (query: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await work(async <R>(text: string, values: readonly unknown[] = []) => {
        const answer = await client.query({ name: this.nameOf(text), text, values: [...values] });
        return answer.rows as R[];
      });
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      // A connection that failed is closed (and its session's locks with it) rather than given back.
      client.release(broken);
    }
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `baton_${createHash('sha1').update(text).digest('base64url')}`;
      if (this.names.size < REMEMBERED) this.names.set(text, name);
    }
    return name;
  }
}
