import { type DataSource, type EntityTarget, IsNull, type Repository } from 'typeorm';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { type Sql } from '../sql.js';
import { PrincipalEntity } from '../entities/principal.entity.js';
import { ProjectEntity } from '../entities/project.entity.js';
import { ServiceEntity } from '../entities/service.entity.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export type PrincipalRow = PrincipalEntity;
export type ServiceRow = ServiceEntity;
export type ProjectRow = ProjectEntity;

/** Reads a keyset page, newest first, from a table with (created_at, id). */
async function readPage<T extends { createdAt: Date; id: string }>(
  repository: Repository<T>,
  page: PageRequest,
): Promise<Page<T>> {
  const query = repository
    .createQueryBuilder('row')
    .orderBy('row.created_at', 'DESC')
    .addOrderBy('row.id', 'DESC')
    .limit(page.limit + 1);
  if (page.cursor) {
    query.where('(row.created_at, row.id) < (:createdAt, :id)', {
      createdAt: page.cursor.createdAt,
      id: page.cursor.id,
    });
  }
  return toPage(await query.getMany(), page.limit);
}

/**
 * What the catalogue's tables share: rows with (created_at, id), read by id with one prepared statement,
 * inserted unless a unique key is taken, listed newest first in keyset pages.
 */
abstract class CatalogueTable<T extends { createdAt: Date; id: string }> {
  protected readonly repository: Repository<T>;

  protected constructor(
    dataSource: DataSource,
    protected readonly sql: Sql,
    entity: EntityTarget<T>,
    private readonly select: string,
  ) {
    this.repository = dataSource.getRepository(entity);
  }

  protected async findOne(column: string, value: string): Promise<T | null> {
    const rows: T[] = await this.sql.query(`${this.select} WHERE ${column} = $1`, [value]);
    return rows[0] ?? null;
  }

  findById(id: string): Promise<T | null> {
    return this.findOne('id', id);
  }

  /** Inserts unless a unique key is taken (the id, or another); true when this call inserted it. */
  async insertIfAbsent(row: T): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(row as QueryDeepPartialEntity<T>)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  list(page: PageRequest): Promise<Page<T>> {
    return readPage(this.repository, page);
  }
}

const PRINCIPAL = `id, name, roles, token_hash AS "tokenHash", email, revoked_at AS "revokedAt",
  created_at AS "createdAt", oidc_issuer AS "oidcIssuer", oidc_subject AS "oidcSubject",
  feed_token_hash AS "feedTokenHash"`;

export class PrincipalStore extends CatalogueTable<PrincipalRow> {
  constructor(dataSource: DataSource, sql: Sql) {
    super(dataSource, sql, PrincipalEntity, `SELECT ${PRINCIPAL} FROM principals`);
  }

  async insert(row: PrincipalRow): Promise<void> {
    await this.repository.insert(row);
  }

  async setTokenHash(id: string, tokenHash: string): Promise<void> {
    await this.repository.update({ id }, { tokenHash, revokedAt: null });
  }

  /** Sets the new token hash unless the principal is revoked or signs in with OIDC; true when it did. */
  async replaceToken(id: string, tokenHash: string): Promise<boolean> {
    const result = await this.repository.update(
      { id, revokedAt: IsNull(), oidcIssuer: IsNull() },
      { tokenHash },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Marks the principal revoked, once: a later call keeps the first time. True when this call revoked it. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.repository.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Name, e-mail and roles of an OIDC principal as its latest token states them; revocation stays. */
  async refreshOidc(
    key: { id: string; oidcIssuer: string; oidcSubject: string },
    fields: { name: string; email: string | null; roles: string[] },
  ): Promise<void> {
    await this.repository.update(key, fields);
  }

  /** Sets the calendar feed token's hash unless the principal is revoked; true when it did. */
  async replaceFeedToken(id: string, feedTokenHash: string): Promise<boolean> {
    const result = await this.repository.update({ id, revokedAt: IsNull() }, { feedTokenHash });
    return (result.affected ?? 0) > 0;
  }

  /** On every calendar feed request (feeds are polled now and then: nothing is kept in memory). */
  findByFeedTokenHash(feedTokenHash: string): Promise<PrincipalRow | null> {
    return this.findOne('feed_token_hash', feedTokenHash);
  }

  /** On every request whose token is not held in memory (revocation is pushed by NOTIFY). */
  findByTokenHash(tokenHash: string): Promise<PrincipalRow | null> {
    return this.findOne('token_hash', tokenHash);
  }

  /** Principals with an e-mail address, not revoked, named by id or holding one of the roles. */
  /**
   * Who an audience names: principals by id, holders of its roles, and (`delegatesOf`) the delegates to whom a
   * holder of those roles delegated them in a delegation in force now.
   */
  recipients(audience: {
    ids: string[];
    roles: string[];
    delegatesOf?: string[];
  }): Promise<{ id: string; name: string; email: string }[]> {
    return this.sql.query(
      `SELECT id, name, email FROM principals
       WHERE email IS NOT NULL AND revoked_at IS NULL AND (id = ANY($1::uuid[]) OR roles && $2::text[]
         OR id IN (
           SELECT dl.delegate_id FROM delegations dl JOIN principals p ON p.id = dl.principal_id
           WHERE dl.revoked_at IS NULL AND p.revoked_at IS NULL AND dl.starts_at <= now() AND dl.ends_at > now()
             AND (SELECT array_agg(r) FROM unnest(dl.roles) AS r WHERE r = ANY(p.roles)) && $3::text[]))
       ORDER BY id`,
      [audience.ids, audience.roles, audience.delegatesOf ?? []],
    );
  }
}

export class ServiceStore extends CatalogueTable<ServiceRow> {
  constructor(dataSource: DataSource, sql: Sql) {
    super(
      dataSource,
      sql,
      ServiceEntity,
      `SELECT id, name, tier, owner_name AS "ownerName", support_group AS "supportGroup",
              created_by AS "createdBy", created_at AS "createdAt"
       FROM services`,
    );
  }

  async insert(row: ServiceRow): Promise<void> {
    await this.repository.insert(row);
  }
}

export class ProjectStore extends CatalogueTable<ProjectRow> {
  constructor(dataSource: DataSource, sql: Sql) {
    super(
      dataSource,
      sql,
      ProjectEntity,
      `SELECT id, key, name, methodology, manager_name AS "managerName", created_by AS "createdBy",
              created_at AS "createdAt"
       FROM projects`,
    );
  }

  /** False when the key is taken. */
  insert(row: ProjectRow): Promise<boolean> {
    return this.insertIfAbsent(row);
  }
}
