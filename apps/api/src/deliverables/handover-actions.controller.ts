import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type CommandInput } from '@baton/commands';
import { ValidBody } from '../http/validation/zod-validation.js';
import {
  type AttestBody,
  attestSchema,
  type DecisionBody,
  decisionSchema,
  type EmptyBody,
  emptySchema,
  type IncidentBody,
  incidentSchema,
  type ReasonBody,
  reasonSchema,
  type ResultBody,
  resultSchema,
  type ScheduleBody,
  scheduleSchema,
  type WaiveBody,
  waiveSchema,
} from './deliverable.schemas.js';
import { HandoverAction, KeyParam } from './handover-action.js';

const CRITERION = 'the criterion key';

/**
 * Readiness, decisions, go-live and early life support: each POST is one command of the handover machine,
 * which the handler reads from the body and HandoverAction runs. Who may do what is the domain's rule
 * (ACTION_ROLES, separation of duties), answered as 403 or 409.
 */
@ApiTags('handover')
@ApiBearerAuth()
@Controller('v1/deliverables/:id')
export class HandoverActionsController {
  @Post('submit')
  @HandoverAction('draft -> readiness (pmo)')
  submit(@ValidBody(emptySchema) _body: EmptyBody): CommandInput {
    // The command path adds the tier's policy and the target go-live.
    return { type: 'submit' };
  }

  @Post('resubmit')
  @HandoverAction('rework -> readiness, opening a new round (pmo)')
  resubmit(@ValidBody(emptySchema) _body: EmptyBody): CommandInput {
    return { type: 'resubmit' };
  }

  @Post('hold')
  @HandoverAction('Pause the handover where it stands (pmo, smo)')
  hold(@ValidBody(reasonSchema) { reason }: ReasonBody): CommandInput {
    return { type: 'hold', reason };
  }

  @Post('resume')
  @HandoverAction('Back to the status it was held in (pmo, smo)')
  resume(@ValidBody(emptySchema) _body: EmptyBody): CommandInput {
    return { type: 'resume' };
  }

  @Post('cancel')
  @HandoverAction('Withdraw the deliverable: final (pmo, smo)')
  cancel(@ValidBody(reasonSchema) { reason }: ReasonBody): CommandInput {
    return { type: 'cancel', reason };
  }

  @Post('readiness/:key/attest')
  @HandoverAction('A criterion passes on evidence (pmo)')
  attest(@ValidBody(attestSchema) body: AttestBody, @KeyParam('key', CRITERION) key: string): CommandInput {
    return { type: 'attest', key, ...body };
  }

  @Post('readiness/:key/probe')
  @HandoverAction(
    'Probe an automated criterion again, in the current round: fresh evidence for one that expired or is about to; its result comes as the result command (pmo, smo)',
  )
  probe(@ValidBody(emptySchema) _body: EmptyBody, @KeyParam('key', CRITERION) key: string): CommandInput {
    return { type: 'probe', key };
  }

  @Post('readiness/:key/waive')
  @HandoverAction('Waive a criterion, with a reason (smo)')
  waive(
    @ValidBody(waiveSchema) { reason }: WaiveBody,
    @KeyParam('key', CRITERION) key: string,
  ): CommandInput {
    return { type: 'waive', key, reason };
  }

  @Post('readiness/:key/result')
  @HandoverAction('An automated result posted by an integration (smo, admin)')
  result(
    @ValidBody(resultSchema) body: ResultBody,
    @KeyParam('key', 'the criterion key (an automated criterion)') key: string,
  ): CommandInput {
    return { type: 'result', key, ...body };
  }

  @Post('decisions')
  @HandoverAction(
    'Decide at the acceptance or els_exit gate with an approver role the policy names (never on your own submission)',
  )
  decide(@ValidBody(decisionSchema) body: DecisionBody): CommandInput {
    return { type: 'decide', ...body };
  }

  @Post('go-live/schedule')
  @HandoverAction(
    'approved -> scheduled, or move the window while scheduled (smo); 409 HANDOVER.FREEZE_WINDOW with the conflicts when it meets a change freeze, unless overridden',
  )
  schedule(@ValidBody(scheduleSchema) { windowStart, windowEnd, override }: ScheduleBody): CommandInput {
    // A window that ends before it starts, or that meets a change freeze without an override, is the domain's
    // to refuse (rules/window.ts); the command path finds the freezes.
    return {
      type: 'schedule',
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      ...(override ? { override: { reason: override.reason } } : {}),
    };
  }

  @Post('go-live/confirm')
  @HandoverAction('scheduled -> early_life_support: the ELS period starts (smo)')
  confirm(@ValidBody(emptySchema) _body: EmptyBody): CommandInput {
    return { type: 'confirm' };
  }

  @Post('rollback')
  @HandoverAction('scheduled or early_life_support -> rework; approvals no longer count (smo)')
  rollback(@ValidBody(reasonSchema) { reason }: ReasonBody): CommandInput {
    return { type: 'rollback', reason };
  }

  @Post('incidents')
  @HandoverAction('Record an incident during early life support (smo, admin)')
  recordIncident(@ValidBody(incidentSchema) body: IncidentBody): CommandInput {
    return { type: 'record_incident', ...body };
  }

  @Post('incidents/:reference/resolve')
  @HandoverAction('Resolve a recorded incident (smo, admin)')
  resolveIncident(
    @ValidBody(emptySchema) _body: EmptyBody,
    @KeyParam('reference', 'the incident reference') reference: string,
  ): CommandInput {
    return { type: 'resolve_incident', reference };
  }
}
