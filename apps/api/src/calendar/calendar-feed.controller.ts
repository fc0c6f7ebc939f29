import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type Principal } from '@baton/access';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type z } from 'zod';
import { CalendarFeed, CurrentPrincipal } from '../auth/auth.decorators.js';
import { assertAdminOrSelf } from '../auth/auth.guard.js';
import { ShownOnce } from '../http/idempotency.interceptor.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { calendarResponse, feedTokenResponse } from './calendar-feed.responses.js';
import {
  type CalendarQuery,
  calendarQuerySchema,
  type FeedTokenBody,
  feedTokenSchema,
} from './calendar-feed.schemas.js';
import { CalendarFeedService } from './calendar-feed.service.js';

/** Calendars to subscribe to: go-lives, ELS period ends and change freezes as iCalendar (RFC 5545). */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('v1')
export class CalendarFeedController {
  constructor(
    private readonly access: Access,
    private readonly feeds: CalendarFeedService,
  ) {}

  @Post('principals/:id/feed-token')
  @HttpCode(201)
  @ShownOnce('url')
  @ApiOperation({
    summary:
      'A calendar feed URL with a new read-only token; the previous one answers 401 at once (admin, or the principal itself)',
    description:
      'The token serves GET /v1/calendar.ics only, as `?token=` or a bearer token; anywhere else it is 401. ' +
      'Revoking the principal ends its feed too.',
  })
  @Responds(201, 'The feed URL, in this response only', feedTokenResponse)
  async createFeedToken(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @ValidBody(feedTokenSchema) _body: FeedTokenBody,
    @Req() request: FastifyRequest,
  ): Promise<z.input<typeof feedTokenResponse>> {
    assertAdminOrSelf(by, id, 'make its calendar feed token');
    const token = await this.access.issueFeedToken(id);
    return { url: `${this.feeds.publicUrl(request)}/v1/calendar.ics?token=${token}` };
  }

  @Get('calendar.ics')
  @CalendarFeed()
  @ApiOperation({
    summary:
      'Go-live windows, ELS period ends and change freezes as an iCalendar feed (any token, or ?token=)',
    description:
      'text/calendar (RFC 5545). `serviceId` and `projectId` narrow the go-lives and ELS ends; with ' +
      '`serviceId` only the freezes that apply to that service (by id or tier, or to every service) are in. ' +
      'Go-live windows that ended more than a year ago are left out. Answers carry an ETag (send it back as ' +
      'If-None-Match: 304 when nothing changed) and `Cache-Control: private, max-age=300`.',
  })
  @Responds(200, 'The calendar', calendarResponse, { mediaType: 'text/calendar; charset=utf-8' })
  @Responds(304, 'Not modified since the ETag sent as If-None-Match')
  async calendar(
    @ValidQuery(calendarQuerySchema) query: CalendarQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { body, etag } = await this.feeds.feed(query, request);
    void reply
      .header('ETag', etag)
      .header('Cache-Control', 'private, max-age=300')
      .header('Vary', 'Authorization');
    const wanted = request.headers['if-none-match'];
    if (wanted?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      void reply.status(304);
      return '';
    }
    void reply
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Content-Disposition', 'inline; filename="baton.ics"');
    return body;
  }
}
