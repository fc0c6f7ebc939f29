import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { ValidBody } from '../http/validation/zod-validation.js';
import { emptySchema, type EmptyBody } from '../deliverables/deliverable.schemas.js';
import { QUEUE_BOARD_COOKIE } from '../http/queue-board/queue-board-routes.js';
import { QueueBoardSessions, SESSION_SECONDS } from './queue-board-sessions.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/queues')
export class QueueBoardController {
  constructor(private readonly sessions: QueueBoardSessions) {}

  @Post('session')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({
    summary:
      'A session for the queue board at /admin/queues, which a browser opens without a token: sets the ' +
      'cookie baton_queues (HttpOnly, SameSite=Strict, Path=/admin/queues, an hour; Secure over https) ' +
      '(admin)',
  })
  @Responds(204, 'The cookie is set', undefined, { headers: ['Set-Cookie'] })
  open(
    @CurrentPrincipal() by: Principal,
    @ValidBody(emptySchema) _body: EmptyBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    const id = this.sessions.create(by.id);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply.header(
      'Set-Cookie',
      `${QUEUE_BOARD_COOKIE}=${id}; HttpOnly${secure}; SameSite=Strict; Path=/admin/queues; Max-Age=${SESSION_SECONDS}`,
    );
  }
}
