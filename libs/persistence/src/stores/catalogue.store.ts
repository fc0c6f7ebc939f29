import { type DataSource, IsNull, type Repository } from 'typeorm';
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

const PRINCIPAL = `id, name, roles, token_hash AS "tokenHash", email, revoked_at AS "revokedAt",
  created_at AS "createdAt", oidc_issuer AS "oidcIssuer", oidc_subject AS "oidcSubject"`;

export class PrincipalStore {
  private readonly repository: Repository<PrincipalEntity>;

  constructor(
    dataSource: DataSource,
    private readonly sql: Sql,
  ) {
    this.repository = dataSource.getRepository(PrincipalEntity);
  }

  async insert(row: PrincipalRow): Promise<void> {
    await this.repository.insert(row);
  }

  /** Inserts unless the id exists; true when this call inserted it. */
  async insertIfAbsent(row: PrincipalRow): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(row)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
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

  async findById(id: string): Promise<PrincipalRow | null> {
    const rows: PrincipalRow[] = await this.sql.query(`SELECT ${PRINCIPAL} FROM principals WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** On every authenticated request: a prepared statement, read afresh each time (revocation is immediate). */
  async findByTokenHash(tokenHash: string): Promise<PrincipalRow | null> {
    const rows: PrincipalRow[] = await this.sql.query(
      `SELECT ${PRINCIPAL} FROM principals WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  list(page: PageRequest): Promise<Page<PrincipalRow>> {
    return readPage(this.repository, page);
  }

  /** Principals with an e-mail address, not revoked, named by id or holding one of the roles. */
  recipients(audience: {
    ids: string[];
    roles: string[];
  }): Promise<{ id: string; name: string; email: string }[]> {
    return this.sql.query(
      `SELECT id, name, email FROM principals
       WHERE email IS NOT NULL AND revoked_at IS NULL AND (id = ANY($1::uuid[]) OR roles && $2::text[])
       ORDER BY id`,
      [audience.ids, audience.roles],
    );
  }
}

export class ServiceStore {
  private readonly repository: Repository<ServiceEntity>;

  constructor(
    dataSource: DataSource,
    private readonly sql: Sql,
  ) {
    this.repository = dataSource.getRepository(ServiceEntity);
  }

  async insert(row: ServiceRow): Promise<void> {
    await this.repository.insert(row);
  }

  async findById(id: string): Promise<ServiceRow | null> {
    const rows: ServiceRow[] = await this.sql.query(
      `SELECT id, name, tier, owner_name AS "ownerName", support_group AS "supportGroup",
              created_by AS "createdBy", created_at AS "createdAt"
       FROM services WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  list(page: PageRequest): Promise<Page<ServiceRow>> {
    return readPage(this.repository, page);
  }
}

export class ProjectStore {
  private readonly repository: Repository<ProjectEntity>;

  constructor(
    dataSource: DataSource,
    private readonly sql: Sql,
  ) {
    this.repository = dataSource.getRepository(ProjectEntity);
  }

  /** False when the key is taken. */
  async insert(row: ProjectRow): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(row)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async findById(id: string): Promise<ProjectRow | null> {
    const rows: ProjectRow[] = await this.sql.query(
      `SELECT id, key, name, methodology, manager_name AS "managerName", created_by AS "createdBy",
              created_at AS "createdAt"
       FROM projects WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  list(page: PageRequest): Promise<Page<ProjectRow>> {
    return readPage(this.repository, page);
  }
}
