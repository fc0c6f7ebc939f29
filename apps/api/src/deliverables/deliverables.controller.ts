import { Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { verifyChain } from '@baton/commands';
import { type DeliverableRow } from '@baton/persistence';
import { type FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { etag, presentAuditEvent, presentDeliverable, presentTimer } from './deliverable.presenter.js';
import {
  type CreateDeliverableBody,
  createDeliverableSchema,
  type EditDeliverableBody,
  editDeliverableSchema,
  type ListDeliverablesQuery,
  listDeliverablesSchema,
} from './deliverable.schemas.js';
import { actorOf, DeliverablesService } from './deliverables.service.js';
import { IF_MATCH_DOC, IfMatch } from './if-match.js';

@ApiTags('deliverables')
@ApiBearerAuth()
@Controller('v1/deliverables')
export class DeliverablesController {
  constructor(private readonly deliverables: DeliverablesService) {}

  private reply(row: DeliverableRow, by: Principal, reply: FastifyReply) {
    void reply.header('ETag', etag(row));
    return presentDeliverable(row, actorOf(by));
  }

  @Post()
  @HttpCode(201)
  @Roles('pmo')
  @ApiOperation({ summary: 'Create a deliverable in draft (pmo)' })
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createDeliverableSchema) body: CreateDeliverableBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(await this.deliverables.create(body, by), by, reply);
  }

  @Get()
  @ApiOperation({ summary: 'Deliverables, newest first; filter by status (comma list), project, service' })
  async list(
    @CurrentPrincipal() by: Principal,
    @ValidQuery(listDeliverablesSchema) query: ListDeliverablesQuery,
  ) {
    const page = await this.deliverables.list(query, pageRequest(query));
    return pageResponse(page, (row) => presentDeliverable(row, actorOf(by)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One deliverable with its readiness, approvals and what the caller may do next' })
  async get(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(await this.deliverables.get(id), by, reply);
  }

  @Patch(':id')
  @ApiHeader(IF_MATCH_DOC)
  @ApiOperation({
    summary:
      'Edit title, description, changeType, targetGoLive while draft or rework; in readiness and acceptance ' +
      'only targetGoLive, which moves the readiness reminders (pmo)',
  })
  async edit(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(editDeliverableSchema) body: EditDeliverableBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { targetGoLive, ...rest } = body;
    const changes = { ...rest, ...(targetGoLive ? { targetGoLive: targetGoLive.toISOString() } : {}) };
    const row = await this.deliverables.execute(id, { type: 'edit', changes }, by, ifMatch, body);
    return this.reply(row, by, reply);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The audit chain, oldest first, the creation first' })
  async history(@UuidParam() id: string) {
    return { items: (await this.deliverables.history(id)).map(presentAuditEvent) };
  }

  @Get(':id/history/verify')
  @ApiOperation({
    summary: 'Recompute the audit hash chain from the stored events; names the first broken link, if any',
  })
  async verifyHistory(@UuidParam() id: string) {
    const row = await this.deliverables.get(id);
    const events = (await this.deliverables.history(id)).map(presentAuditEvent);
    const last = events.at(-1);
    // The row keeps the chain's head: a tail cut off (or a forged last event) shows against it.
    const broken =
      verifyChain(events) ??
      (last?.seq !== row.auditSeq || last.hash !== row.auditHash
        ? { seq: Math.min(row.auditSeq, (last?.seq ?? 0) + 1), reason: 'head' as const }
        : null);
    return {
      deliverableId: id,
      valid: broken === null,
      events: events.length,
      head: events.at(-1)?.hash ?? null,
      firstBroken: broken,
    };
  }

  @Get(':id/reminders')
  @ApiOperation({
    summary:
      'Timers: readiness reminders, decision SLA reminders and escalations, ELS follow-ups and period ends',
  })
  async reminders(@UuidParam() id: string) {
    return { items: (await this.deliverables.timers(id)).map(presentTimer) };
  }
}
