import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access, type Principal } from '@baton/access';
import { AppError, AppErrorCode } from '@baton/errors';
import { Database, type EventPosition } from '@baton/persistence';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { RespondsStream } from '../http/openapi/responds.decorator.js';
import { ValidQuery } from '../http/validation/zod-validation.js';
import { eventFilter } from './event-access.js';
import { EventHub } from './event-hub.js';
import { openEventStream } from './event-stream.js';
import { EVENT_FRAMES, eventResponse } from './event.responses.js';
import { type EventsQuery, eventsQuerySchema } from './events.schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const badLastEventId = (message: string): AppError =>
  new AppError(AppErrorCode.Invalid, `Last-Event-ID: ${message}`, {
    errors: [{ path: 'Last-Event-ID', message }],
  });

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly hub: EventHub,
    private readonly db: Database,
    private readonly access: Access,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Live events (server-sent events): every event of the webhook catalogue as it commits, through any api ' +
      'process; Last-Event-ID replays what followed that event (events are kept a day after delivery); ' +
      'deliverableId narrows it (any token)',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'Resume after this event (an event id, as the stream gave it): what followed it comes first. An id ' +
      'that is not a UUID, or names no event kept here (unknown, or older than a day), is 400: reload what ' +
      'the page shows, then open the stream without it.',
    schema: { type: 'string', format: 'uuid' },
  })
  @RespondsStream(200, 'The event stream', 'text/event-stream', EVENT_FRAMES, eventResponse)
  @ApiResponse({
    status: 404,
    description: 'deliverableId names no deliverable',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  async stream(
    @CurrentPrincipal() by: Principal,
    @ValidQuery(eventsQuerySchema) query: EventsQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const header = request.headers['last-event-id'];
    const resumeAfter = (typeof header === 'string' ? header.trim() : '') || query.lastEventId;
    const [from, deliverable] = await Promise.all([
      resumeAfter === undefined ? this.hub.head() : this.positionOf(resumeAfter),
      query.deliverableId === undefined ? true : this.db.deliverables.findHead(query.deliverableId),
    ]);
    if (!deliverable) throw AppError.notFound('Deliverable', query.deliverableId!);
    // The guard authenticated this very header.
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization!)![1];
    const { sink, closed } = openEventStream(reply, {
      announce: resumeAfter === undefined ? from : null,
      accepts: eventFilter(by, { deliverableId: query.deliverableId }),
      stillAllowed: async () => (await this.access.authenticate(token))?.id === by.id,
    });
    let leave: (() => void) | null = null;
    try {
      leave = await this.hub.subscribe(sink, from, query.deliverableId);
    } catch {
      // The replay could not be read (PostgreSQL is down): the client reconnects from where it was.
      sink.end();
    }
    await closed;
    leave?.();
  }

  private async positionOf(eventId: string): Promise<EventPosition> {
    if (!UUID.test(eventId)) throw badLastEventId('must be an event id (a UUID)');
    const position = await this.db.events.position(eventId.toLowerCase());
    if (!position) {
      throw badLastEventId(
        'no event with this id is kept here (unknown, or older than a day): reload, then open the stream without it',
      );
    }
    return position;
  }
}
