import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { decodeInboxCursor, encodeInboxCursor } from '@baton/persistence';
import { type z } from 'zod';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { decodedCursor } from '../http/validation/paging.js';
import { ValidQuery } from '../http/validation/zod-validation.js';
import { presentInboxItem } from './inbox.presenter.js';
import { inboxPageResponse } from './inbox.responses.js';
import { type InboxQuery, inboxQuerySchema } from './inbox.schemas.js';
import { InboxService } from './inbox.service.js';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('v1/inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary:
      'What waits for the caller to decide, most urgent first (decision SLA due, then target go-live): ' +
      'deliverables at a gate where one of its roles decides, that it did not submit and has not decided ' +
      'on in the current round (any token; none for a principal without an approver role); and, marked ' +
      'onBehalfOf, those it may decide for a delegator through a delegation in force now, that the delegator ' +
      'did not submit and has not decided (itself or through a delegate) in the current round',
  })
  @Responds(200, 'A page of the inbox', inboxPageResponse)
  async list(
    @CurrentPrincipal() by: Principal,
    @ValidQuery(inboxQuerySchema) query: InboxQuery,
  ): Promise<z.input<typeof inboxPageResponse>> {
    const now = new Date();
    const page = await this.inbox.inbox(by, query.limit, decodedCursor(query.cursor, decodeInboxCursor));
    return {
      items: page.items.flatMap(
        ({ read, slaDueAt, decidingFor }) => presentInboxItem(read, slaDueAt, by, decidingFor, now) ?? [],
      ),
      nextCursor: page.next ? encodeInboxCursor(page.next) : null,
    };
  }
}
