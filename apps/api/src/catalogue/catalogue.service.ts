import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, AppErrorCode } from '@baton/errors';
import { type Principal } from '@baton/access';
import { Database, type PageRequest, type ProjectRow, type ServiceRow } from '@baton/persistence';
import { type CreateProjectBody, type CreateServiceBody } from './catalogue.schemas.js';

/** The service catalogue and the project register. */
@Injectable()
export class CatalogueService {
  constructor(private readonly db: Database) {}

  async createService(body: CreateServiceBody, by: Principal): Promise<ServiceRow> {
    const row: ServiceRow = {
      id: randomUUID(),
      name: body.name,
      tier: body.tier,
      ownerName: body.ownerName ?? null,
      supportGroup: body.supportGroup ?? null,
      createdBy: by.id,
      createdAt: new Date(),
    };
    await this.db.services.insert(row);
    return row;
  }

  async getService(id: string): Promise<ServiceRow> {
    const row = await this.db.services.findById(id);
    if (!row) throw AppError.notFound('Service', id);
    return row;
  }

  listServices(page: PageRequest) {
    return this.db.services.list(page);
  }

  async createProject(body: CreateProjectBody, by: Principal): Promise<ProjectRow> {
    const row: ProjectRow = {
      id: randomUUID(),
      key: body.key,
      name: body.name,
      methodology: body.methodology,
      managerName: body.managerName ?? null,
      createdBy: by.id,
      createdAt: new Date(),
    };
    if (!(await this.db.projects.insert(row))) {
      throw new AppError(AppErrorCode.ProjectKeyTaken, `A project with key ${body.key} exists`, {
        errors: [{ path: 'key', message: 'already taken' }],
      });
    }
    return row;
  }

  async getProject(id: string): Promise<ProjectRow> {
    const row = await this.db.projects.findById(id);
    if (!row) throw AppError.notFound('Project', id);
    return row;
  }

  listProjects(page: PageRequest) {
    return this.db.projects.list(page);
  }
}
