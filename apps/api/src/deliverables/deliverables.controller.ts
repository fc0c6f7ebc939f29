import { Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type FastifyReply } from 'fastify';
import { type z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { chainBreak } from './chain-check.js';
import { etag, presentAuditEvent, presentDeliverable, presentTimer } from './deliverable.presenter.js';
import {
  type DeliverableResponse,
  deliverablePageResponse,
  deliverableResponse,
  historyResponse,
  historyVerificationResponse,
  remindersResponse,
} from './deliverable.responses.js';
import {
  type CreateDeliverableBody,
  createDeliverableSchema,
  type EditDeliverableBody,
  editDeliverableSchema,
  type ListDeliverablesQuery,
  listDeliverablesSchema,
} from './deliverable.schemas.js';
import { actorOf, DeliverablesService, type ReadDeliverable } from './deliverables.service.js';
import { HandoverAction, type HandoverActionResult } from './handover-action.js';

/** The deliverable as `by` sees it. */
const present = ({ row, handover }: ReadDeliverable, by: Principal): DeliverableResponse =>
  presentDeliverable(row, handover, actorOf(by));

@ApiTags('deliverables')
@ApiBearerAuth()
@Controller('v1/deliverables')
export class DeliverablesController {
  constructor(private readonly deliverables: DeliverablesService) {}

  @Post()
  @HttpCode(201)
  @Roles('pmo')
  @ApiOperation({ summary: 'Create a deliverable in draft (pmo)' })
  @Responds(201, 'The deliverable, in draft', deliverableResponse, { headers: ['ETag'] })
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createDeliverableSchema) body: CreateDeliverableBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeliverableResponse> {
    const { row, handover } = await this.deliverables.create(body, by);
    void reply.header('ETag', etag(row));
    return presentDeliverable(row, handover, actorOf(by));
  }

  @Get()
  @ApiOperation({ summary: 'Deliverables, newest first; filter by status (comma list), project, service' })
  @Responds(200, 'A page of deliverables', deliverablePageResponse)
  async list(
    @CurrentPrincipal() by: Principal,
    @ValidQuery(listDeliverablesSchema) query: ListDeliverablesQuery,
  ): Promise<z.input<typeof deliverablePageResponse>> {
    const page = await this.deliverables.list(query, pageRequest(query));
    return pageResponse(page, (read) => present(read, by));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One deliverable with its readiness, approvals and what the caller may do next' })
  @Responds(200, 'The deliverable', deliverableResponse, { headers: ['ETag'] })
  async get(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeliverableResponse> {
    const read = await this.deliverables.get(id);
    void reply.header('ETag', etag(read.row));
    return present(read, by);
  }

  @Patch(':id')
  @HandoverAction(
    'Edit title, description, changeType, targetGoLive while draft or rework; in readiness and acceptance ' +
      'only targetGoLive, which moves the readiness reminders (pmo)',
  )
  edit(@ValidBody(editDeliverableSchema) body: EditDeliverableBody): HandoverActionResult {
    const { targetGoLive, ...rest } = body;
    const changes = { ...rest, ...(targetGoLive ? { targetGoLive: targetGoLive.toISOString() } : {}) };
    return { command: { type: 'edit', changes }, fields: body };
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The audit chain, oldest first, the creation first' })
  @Responds(200, 'The audit events', historyResponse)
  async history(@UuidParam() id: string): Promise<z.input<typeof historyResponse>> {
    return { items: (await this.deliverables.history(id)).map(presentAuditEvent) };
  }

  @Get(':id/history/verify')
  @ApiOperation({
    summary: 'Recompute the audit hash chain from the stored events; names the first broken link, if any',
  })
  @Responds(200, 'Whether the chain holds, and where it breaks first', historyVerificationResponse)
  async verifyHistory(@UuidParam() id: string): Promise<z.input<typeof historyVerificationResponse>> {
    const row = await this.deliverables.exists(id);
    const events = (await this.deliverables.history(id)).map(presentAuditEvent);
    const broken = chainBreak(events, row);
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
  @Responds(200, 'The timers of the deliverable', remindersResponse)
  async reminders(@UuidParam() id: string): Promise<z.input<typeof remindersResponse>> {
    return { items: (await this.deliverables.timers(id)).map(presentTimer) };
  }
}
