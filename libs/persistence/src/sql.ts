import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type DataSource } from 'typeorm';
import { inSpan, SpanKind } from '@baton/telemetry';
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
  private readonly names = new Map<string, Statement>();

  constructor(private readonly dataSource: DataSource) {}

  private get pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  readonly query: Query = async <T>(text: string, values: readonly unknown[] = []): Promise<T[]> => {
    const { name, summary } = this.statementOf(text);
    const result = await inSpan(summary, statementSpan(text), () =>
      this.pool.query({ name, text, values: [...values] }),
    );
    return result.rows as T[];
  };

  /** Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return this.onConnection(async (client, query, fail) => {
      await client.query('BEGIN');
      try {
        const result = await work(query);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionError(error)) await client.query('ROLLBACK').catch(fail);
        throw error;
      }
    });
  }

  /**
   * Runs `work` on one connection, each statement committed on its own: for a session-level advisory lock
   * around statements that must each stand alone (event rows are never written by a transaction of several).
   */
  async session<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return this.onConnection((_client, query) => work(query));
  }

  /**
   * Checks a connection out for `work` and gives it back, or closes it (and its session's locks with it) when
   * it failed: a connection error seen by a statement, by `fail`, or emitted while checked out. A checked-out
   * client has no listener of the pool's, so a connection lost mid-work would emit 'error' unheard and end the
   * process; the failing statement rejects too, and that is what the caller sees.
   */
  private async onConnection<T>(
    work: (client: pg.PoolClient, query: Query, fail: (error: unknown) => void) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const fail = (error: unknown): void => {
      broken = error as Error;
    };
    client.on('error', fail);
    const query: Query = async <R>(text: string, values: readonly unknown[] = []) => {
      const { name, summary } = this.statementOf(text);
      const answer = await inSpan(summary, statementSpan(text), () =>
        client.query({ name, text, values: [...values] }),
      );
      return answer.rows as R[];
    };
    try {
      return await work(client, query, fail);
    } catch (error) {
      if (isConnectionError(error)) fail(error);
      throw error;
    } finally {
      client.off('error', fail);
      client.release(broken);
    }
  }

  private statementOf(text: string): Statement {
    let statement = this.names.get(text);
    if (statement === undefined) {
      statement = {
        name: `baton_${createHash('sha1').update(text).digest('base64url')}`,
        summary: summaryOf(text),
      };
      if (this.names.size < REMEMBERED) this.names.set(text, statement);
    }
    return statement;
  }
}

interface Statement {
  /** The prepared statement's name: a hash of its text. */
  name: string;
  /** The span's name: what the statement does to which table (`UPDATE deliverables`). */
  summary: string;
}

/** A client span per statement, with its text (parameters are never part of it). */
function statementSpan(text: string): { kind: SpanKind; attributes: Record<string, string> } {
  return {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'postgresql', 'db.query.text': text },
  };
}

const WRITE = /(?<!\b(?:FOR|DO|KEY)\s+)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?/i;
const READ = /^\s*SELECT\b[\s\S]*?\bFROM\s+"?(\w+)"?/i;

/**
 * A statement's low-cardinality name for its span: the first write it makes and its table (a WITH statement
 * that reads first and saves after is named by its save), else what it reads from, else its first word.
 */
export function summaryOf(text: string): string {
  const write = WRITE.exec(text);
  if (write) return `${write[1].split(/\s+/)[0].toUpperCase()} ${write[2]}`;
  const read = READ.exec(text);
  if (read) return `SELECT ${read[1]}`;
  return (/^\s*(\w+)/.exec(text)?.[1] ?? 'SQL').toUpperCase();
}
