import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpCode,
  Injectable,
  type NestInterceptor,
  Param,
  type PipeTransform,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam } from '@nestjs/swagger';
import { type CommandInput, type CommittedDeliverable } from '@baton/commands';
import { type Principal } from '@baton/access';
import { AppError, AppErrorCode } from '@baton/errors';
import { CRITERION_KEY_PATTERN } from '@baton/handover';
import { type DeliverableFields } from '@baton/persistence';
import { type FastifyReply } from 'fastify';
import { mergeMap, type Observable } from 'rxjs';
import { type z } from 'zod';
import { type AuthenticatedRequest } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { parseUuidParam, uuidParamDoc } from '../http/validation/uuid-param.js';
import { etag, presentDeliverable } from './deliverable.presenter.js';
import {
  type DeliverableResponse,
  deliverableResponse,
  followOnActionResponse,
} from './deliverable.responses.js';
import { actorOf, DeliverablesService } from './deliverables.service.js';
import { IF_MATCH_DOC, parseIfMatch } from './if-match.js';

/**
 * What a handover action's handler returns: the command for the deliverable its path names, and for an
 * edit the row fields it changes.
 */
export type HandoverActionResult = CommandInput | { command: CommandInput; fields: DeliverableFields };

/**
 * Runs the command a handover action's handler returns, with what every action shares: the caller, the
 * deliverable id of the path, If-Match; answers the deliverable with its ETag. The id and If-Match are
 * checked before the handler's own parameters, as they come first in the request.
 */
@Injectable()
export class HandoverActionInterceptor<Answer = DeliverableResponse> implements NestInterceptor<
  HandoverActionResult,
  Answer
> {
  constructor(private readonly deliverables: DeliverablesService) {}

  /** The answer: the deliverable as the command left it. */
  protected answer(committed: CommittedDeliverable, principal: Principal): Answer {
    return presentDeliverable(committed.row, committed.handover, actorOf(principal)) as Answer;
  }

  intercept(context: ExecutionContext, next: CallHandler<HandoverActionResult>): Observable<Answer> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const principal = request.principal;
    if (!principal) throw new Error('A handover action on a public route');
    const id = parseUuidParam('id', (request.params as Record<string, string | undefined>).id);
    const header = request.headers['if-match'] as string | string[] | undefined;
    const ifMatch = parseIfMatch(Array.isArray(header) ? header[0] : header);
    return next.handle().pipe(
      mergeMap(async (result) => {
        const { command, fields } = 'command' in result ? result : { command: result, fields: undefined };
        // The committed handover answers: no second restore of the row just written.
        const committed = await this.deliverables.execute(id, command, principal, ifMatch, fields);
        void reply.header('ETag', etag(committed.row));
        return this.answer(committed, principal);
      }),
    );
  }
}

/**
 * A command on one deliverable (`:id` in the path): the handler only turns its body into the command and
 * returns it; HandoverActionInterceptor runs it. Documents the id, If-Match and the deliverable answered.
 */
export function HandoverAction(summary: string): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam(uuidParamDoc('id')),
    ApiHeader(IF_MATCH_DOC),
    // The handler returns the command; the interceptor answers the deliverable (typed there).
    Responds(200, 'The deliverable as the command left it', deliverableResponse, {
      headers: ['ETag'],
    }) as MethodDecorator,
    UseInterceptors(HandoverActionInterceptor),
  );
}

/** A follow-on action created: the answer is the action (201), the newest on the deliverable. */
@Injectable()
export class CreatedActionInterceptor extends HandoverActionInterceptor<
  z.input<typeof followOnActionResponse>
> {
  protected override answer(committed: CommittedDeliverable): z.input<typeof followOnActionResponse> {
    const created = committed.handover.describe().actions.at(-1);
    if (!created) throw new Error('A follow-on action was created, but the deliverable lists none');
    return created;
  }
}

/** Creates a follow-on action on one deliverable: as HandoverAction, but 201 with the action. */
export function HandoverCreateAction(summary: string): MethodDecorator {
  return applyDecorators(
    HttpCode(201),
    ApiOperation({ summary }),
    ApiParam(uuidParamDoc('id')),
    ApiHeader(IF_MATCH_DOC),
    Responds(201, 'The follow-on action created (ETag: the deliverable version)', followOnActionResponse, {
      headers: ['ETag'],
    }) as MethodDecorator,
    UseInterceptors(CreatedActionInterceptor),
  );
}

class ParseKey implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (CRITERION_KEY_PATTERN.test(value)) return value;
    throw new AppError(AppErrorCode.Invalid, `The path parameter ${this.name} is not a valid key`, {
      errors: [{ path: this.name, message: 'must be 1 to 64 of A-Z a-z 0-9 . _ -' }],
    });
  }
}

/** A path segment that must be a `key` (a criterion key, an incident reference): else 400 before any lookup. */
export function KeyParam(name: string, description: string): ParameterDecorator {
  return (target, key, index) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, description, schema: { type: 'string', pattern: CRITERION_KEY_PATTERN.source } })(
      target,
      key!,
      descriptor,
    );
    Param(name, new ParseKey(name))(target, key, index);
  };
}
