import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type CommandInput } from '@baton/commands';
import { AppError } from '@baton/errors';
import { Database } from '@baton/persistence';
import { ValidBody } from '../http/validation/zod-validation.js';
import {
  type AssignActionBody,
  assignActionSchema,
  type CloseActionBody,
  closeActionSchema,
  type CreateActionBody,
  createActionSchema,
  type LessonBody,
  lessonSchema,
} from './deliverable.schemas.js';
import { HandoverAction, HandoverCreateAction, KeyParam } from './handover-action.js';

const ACTION_KEY = 'the follow-on action key (A-1, A-2...)';

/**
 * Follow-on actions and lessons learned of a deliverable going live and live: each POST is one command of the
 * handover machine (version + 1, one audit event), run by HandoverAction as the other commands are. Which
 * status takes which, and who closes an action, are the domain's rules.
 */
@ApiTags('handover')
@ApiBearerAuth()
@Controller('v1/deliverables/:id')
export class FollowOnActionsController {
  constructor(private readonly db: Database) {}

  @Post('actions')
  @HandoverCreateAction(
    'Record a follow-on action, from scheduled to operational (pmo, smo); 201 with the action',
  )
  async createAction(@ValidBody(createActionSchema) body: CreateActionBody): Promise<CommandInput> {
    if (body.ownerId !== undefined) await this.principalExists(body.ownerId);
    return {
      type: 'create_action',
      title: body.title,
      ...(body.ownerId === undefined ? {} : { ownerId: body.ownerId }),
      ...(body.dueAt === undefined ? {} : { dueAt: body.dueAt.toISOString() }),
    };
  }

  @Post('actions/:key/assign')
  @HandoverAction('Name the owner of an open follow-on action, and optionally its due date (pmo, smo)')
  async assignAction(
    @ValidBody(assignActionSchema) body: AssignActionBody,
    @KeyParam('key', ACTION_KEY) key: string,
  ): Promise<CommandInput> {
    await this.principalExists(body.ownerId);
    return {
      type: 'assign_action',
      key,
      ownerId: body.ownerId,
      ...(body.dueAt === undefined ? {} : { dueAt: body.dueAt.toISOString() }),
    };
  }

  @Post('actions/:key/close')
  @HandoverAction('Close an open follow-on action (its owner, pmo, smo)')
  closeAction(
    @ValidBody(closeActionSchema) body: CloseActionBody,
    @KeyParam('key', ACTION_KEY) key: string,
  ): CommandInput {
    return { type: 'close_action', key, ...(body.note === undefined ? {} : { note: body.note }) };
  }

  @Post('lessons')
  @HandoverAction('Record a lesson learned, in els_review and operational (pmo, smo)')
  recordLesson(@ValidBody(lessonSchema) { text }: LessonBody): CommandInput {
    return { type: 'record_lesson', text };
  }

  /** An owner is a principal there is (revoked or not: its history stays its own); else 404 naming the field. */
  private async principalExists(id: string): Promise<void> {
    if (!(await this.db.principals.findById(id))) throw AppError.notFound('Principal', id, 'ownerId');
  }
}
