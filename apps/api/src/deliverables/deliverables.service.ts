import { Injectable } from '@nestjs/common';
import { AppError, AppErrorCode } from '@baton/errors';
import { type CommandInput, type CommittedDeliverable, HandoverCommands } from '@baton/commands';
import { type Principal } from '@baton/access';
import { type Actor, type CriterionSpec, DEFAULT_CHECKLIST } from '@baton/handover';
import {
  type AuditEventRow,
  Database,
  type DeliverableFields,
  type DeliverableRow,
  type Page,
  type PageRequest,
  type TimerRow,
} from '@baton/persistence';
import { type CreateDeliverableBody, type ListDeliverablesQuery } from './deliverable.schemas.js';

export const actorOf = (principal: Principal): Actor => ({
  principalId: principal.id,
  roles: principal.roles,
});

/** Deliverables over the command path; reads go straight to the stores. */
@Injectable()
export class DeliverablesService {
  constructor(
    private readonly db: Database,
    private readonly commands: HandoverCommands,
  ) {}

  async create(body: CreateDeliverableBody, by: Principal): Promise<CommittedDeliverable> {
    const [project, service] = await Promise.all([
      this.db.projects.findById(body.projectId),
      this.db.services.findById(body.serviceId),
    ]);
    const errors = [
      ...(project ? [] : [{ path: 'projectId', message: 'no project with this id' }]),
      ...(service ? [] : [{ path: 'serviceId', message: 'no service with this id' }]),
    ];
    if (!project || !service) {
      throw new AppError(AppErrorCode.NotFound, 'The body names a project or service that does not exist', {
        errors,
      });
    }
    // The newest template for this change type and tier, else the built-in default (API.md, Checklists).
    const template = await this.db.checklists.newestMatching(body.changeType, service.tier);
    return this.commands.create(
      {
        projectId: body.projectId,
        serviceId: body.serviceId,
        title: body.title,
        description: body.description ?? null,
        changeType: body.changeType,
        targetGoLive: body.targetGoLive,
        criteria: template ? (template.criteria as CriterionSpec[]) : DEFAULT_CHECKLIST.criteria,
        checklist: template ? { id: template.id, name: template.name, version: template.version } : null,
      },
      actorOf(by),
    );
  }

  async get(id: string): Promise<DeliverableRow> {
    const row = await this.db.deliverables.findById(id);
    if (!row) throw AppError.notFound('Deliverable', id);
    return row;
  }

  list(query: ListDeliverablesQuery, page: PageRequest): Promise<Page<DeliverableRow>> {
    return this.db.deliverables.list(
      {
        status: query.status,
        projectId: query.projectId,
        serviceId: query.serviceId,
        awaitingRole: query.awaitingRole,
      },
      page,
    );
  }

  execute(
    id: string,
    command: CommandInput,
    by: Principal,
    ifMatch: number | undefined,
    fields?: DeliverableFields,
  ): Promise<CommittedDeliverable> {
    return this.commands.execute(id, command, actorOf(by), { ifMatch, fields });
  }

  async timers(id: string): Promise<TimerRow[]> {
    await this.get(id);
    return this.db.timers.forDeliverable(id);
  }

  async history(id: string): Promise<AuditEventRow[]> {
    await this.get(id);
    return this.db.audit.history(id);
  }
}
