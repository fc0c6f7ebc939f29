import { Injectable } from '@nestjs/common';
import { AppError, AppErrorCode } from '@baton/errors';
import {
  type CommandInput,
  type CommittedDeliverable,
  type HandoverAnswers,
  HandoverCache,
  HandoverCommands,
} from '@baton/commands';
import { type Principal } from '@baton/access';
import { type Actor, type CriterionSpec, DEFAULT_CHECKLIST, loadHandover } from '@baton/handover';
import {
  type AuditEventRow,
  Database,
  type DeliverableFields,
  type DeliverableHead,
  type Page,
  type PageRequest,
  type TimerRow,
} from '@baton/persistence';
import { type CreateDeliverableBody, type ListDeliverablesQuery } from './deliverable.schemas.js';

/** A deliverable as read: its row (whole, or without the handover state) and its handover's answers. */
export interface ReadDeliverable {
  row: DeliverableHead;
  handover: HandoverAnswers;
}

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
    private readonly handovers: HandoverCache,
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

  /**
   * A deliverable and its handover. The row is read without its handover state, which this process usually
   * holds for the row's version already (the command that made the version kept it, or an earlier read);
   * only when it does not is the state read and restored, once.
   */
  async get(id: string): Promise<ReadDeliverable> {
    const head = await this.db.deliverables.findHead(id);
    if (!head) throw AppError.notFound('Deliverable', id);
    const handover = this.handovers.get(id, head.version);
    if (handover) return { row: head, handover };
    const row = await this.db.deliverables.findById(id);
    if (!row) throw AppError.notFound('Deliverable', id);
    return { row, handover: this.handovers.keep(row.id, row.version, loadHandover(row)) };
  }

  /** A page of deliverables with their handovers: the states this process does not hold are read in one query. */
  async list(query: ListDeliverablesQuery, page: PageRequest): Promise<Page<ReadDeliverable>> {
    const heads = await this.db.deliverables.list(
      {
        status: query.status,
        projectId: query.projectId,
        serviceId: query.serviceId,
        awaitingRole: query.awaitingRole,
      },
      page,
    );
    return { ...heads, items: await this.withHandovers(heads.items) };
  }

  /**
   * Rows read without their handover state, with their handovers: the states this process does not hold
   * are read in one query. In the order given; a row gone meanwhile is left out.
   */
  async withHandovers(heads: readonly DeliverableHead[]): Promise<ReadDeliverable[]> {
    const held = new Map(heads.map((head) => [head.id, this.handovers.get(head.id, head.version)] as const));
    const missing = heads.filter((head) => held.get(head.id) === undefined).map((head) => head.id);
    const read = new Map(
      (missing.length ? await this.db.deliverables.findByIds(missing) : []).map((row) => [row.id, row]),
    );
    return heads.flatMap((head): ReadDeliverable[] => {
      const handover = held.get(head.id);
      if (handover) return [{ row: head, handover }];
      // Read whole a moment after the page: it may be a later version, served as it now is; or gone.
      const row = read.get(head.id);
      return row ? [{ row, handover: this.handovers.keep(row.id, row.version, loadHandover(row)) }] : [];
    });
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
    await this.exists(id);
    return this.db.timers.forDeliverable(id);
  }

  async history(id: string): Promise<AuditEventRow[]> {
    await this.exists(id);
    return this.db.audit.history(id);
  }

  /** The row without its handover state; 404 when none has this id. */
  async exists(id: string): Promise<DeliverableHead> {
    const head = await this.db.deliverables.findHead(id);
    if (!head) throw AppError.notFound('Deliverable', id);
    return head;
  }
}
