import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';
import { type CommandInput } from '@baton/commands';
import { type Principal } from '@baton/access';
import { CRITERION_KEY_PATTERN } from '@baton/handover';
import { type FastifyReply } from 'fastify';
import { type z } from 'zod';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody } from '../http/validation/zod-validation.js';
import { etag, presentDeliverable } from './deliverable.presenter.js';
import {
  attestSchema,
  decisionSchema,
  emptySchema,
  incidentSchema,
  reasonSchema,
  resultSchema,
  scheduleSchema,
  waiveSchema,
} from './deliverable.schemas.js';
import { actorOf, DeliverablesService } from './deliverables.service.js';
import { IF_MATCH_DOC, IfMatch } from './if-match.js';

/** A path segment that must be a `key` (criterion key, incident reference): else 400 before any lookup. */
function keyParam(name: string, value: string): string {
  if (CRITERION_KEY_PATTERN.test(value)) return value;
  throw new AppError(AppErrorCode.Invalid, `The path parameter ${name} is not a valid key`, {
    errors: [{ path: name, message: 'must be 1 to 64 of A-Z a-z 0-9 . _ -' }],
  });
}

/**
 * Readiness, decisions, go-live and early life support: each POST is one command of the handover machine.
 * Who may do what is the domain's rule (ACTION_ROLES, separation of duties), answered as 403 or 409.
 */
@ApiTags('handover')
@ApiBearerAuth()
@ApiHeader(IF_MATCH_DOC)
@Controller('v1/deliverables/:id')
export class HandoverActionsController {
  constructor(private readonly deliverables: DeliverablesService) {}

  private async run(
    id: string,
    command: CommandInput,
    by: Principal,
    ifMatch: number | undefined,
    reply: FastifyReply,
  ) {
    const row = await this.deliverables.execute(id, command, by, ifMatch);
    void reply.header('ETag', etag(row));
    return presentDeliverable(row, actorOf(by));
  }

  @Post('submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'draft -> readiness (pmo)' })
  submit(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(emptySchema) _body: z.output<typeof emptySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'submit' } as CommandInput, by, ifMatch, reply);
  }

  @Post('resubmit')
  @HttpCode(200)
  @ApiOperation({ summary: 'rework -> readiness, opening a new round (pmo)' })
  resubmit(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(emptySchema) _body: z.output<typeof emptySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'resubmit' } as CommandInput, by, ifMatch, reply);
  }

  @Post('hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause the handover where it stands (pmo, smo)' })
  hold(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(reasonSchema) body: z.output<typeof reasonSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'hold', reason: body.reason }, by, ifMatch, reply);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Back to the status it was held in (pmo, smo)' })
  resume(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(emptySchema) _body: z.output<typeof emptySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'resume' }, by, ifMatch, reply);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the deliverable: final (pmo, smo)' })
  cancel(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(reasonSchema) body: z.output<typeof reasonSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'cancel', reason: body.reason }, by, ifMatch, reply);
  }

  @Post('readiness/:key/attest')
  @HttpCode(200)
  @ApiParam({ name: 'key', description: 'the criterion key' })
  @ApiOperation({ summary: 'A criterion passes on evidence (pmo)' })
  attest(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Param('key') key: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(attestSchema) body: z.output<typeof attestSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'attest', key: keyParam('key', key), ...body }, by, ifMatch, reply);
  }

  @Post('readiness/:key/waive')
  @HttpCode(200)
  @ApiParam({ name: 'key', description: 'the criterion key' })
  @ApiOperation({ summary: 'Waive a criterion, with a reason (smo)' })
  waive(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Param('key') key: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(waiveSchema) body: z.output<typeof waiveSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      id,
      { type: 'waive', key: keyParam('key', key), reason: body.reason },
      by,
      ifMatch,
      reply,
    );
  }

  @Post('readiness/:key/result')
  @HttpCode(200)
  @ApiParam({ name: 'key', description: 'the criterion key (an automated criterion)' })
  @ApiOperation({ summary: 'An automated result posted by an integration (smo, admin)' })
  result(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Param('key') key: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(resultSchema) body: z.output<typeof resultSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'result', key: keyParam('key', key), ...body }, by, ifMatch, reply);
  }

  @Post('decisions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Decide at the acceptance or els_exit gate with an approver role the policy names (never on your own submission)',
  })
  decide(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(decisionSchema) body: z.output<typeof decisionSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'decide', ...body }, by, ifMatch, reply);
  }

  @Post('go-live/schedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'approved -> scheduled, or move the window while scheduled (smo)' })
  schedule(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(scheduleSchema) body: z.output<typeof scheduleSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (body.windowEnd <= body.windowStart) {
      throw new AppError(AppErrorCode.Invalid, 'The go-live window must end after it starts', {
        errors: [{ path: 'windowEnd', message: 'must be after windowStart' }],
      });
    }
    const window = { windowStart: body.windowStart.toISOString(), windowEnd: body.windowEnd.toISOString() };
    return this.run(id, { type: 'schedule', ...window }, by, ifMatch, reply);
  }

  @Post('go-live/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled -> early_life_support: the ELS period starts (smo)' })
  confirm(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(emptySchema) _body: z.output<typeof emptySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'confirm' }, by, ifMatch, reply);
  }

  @Post('rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'scheduled or early_life_support -> rework; approvals no longer count (smo)' })
  rollback(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(reasonSchema) body: z.output<typeof reasonSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'rollback', reason: body.reason }, by, ifMatch, reply);
  }

  @Post('incidents')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record an incident during early life support (smo, admin)' })
  recordIncident(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(incidentSchema) body: z.output<typeof incidentSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'record_incident', ...body }, by, ifMatch, reply);
  }

  @Post('incidents/:reference/resolve')
  @HttpCode(200)
  @ApiParam({ name: 'reference', description: 'the incident reference' })
  @ApiOperation({ summary: 'Resolve a recorded incident (smo, admin)' })
  resolveIncident(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Param('reference') reference: string,
    @IfMatch() ifMatch: number | undefined,
    @ValidBody(emptySchema) _body: z.output<typeof emptySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      id,
      { type: 'resolve_incident', reference: keyParam('reference', reference) },
      by,
      ifMatch,
      reply,
    );
  }
}
