import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { freezeWindowProblems, occurrencesOf } from '@baton/calendar';
import { HandoverCommands } from '@baton/commands';
import { AppError } from '@baton/errors';
import { SERVICE_TIERS } from '@baton/handover';
import { Database, type FreezeWindowRow } from '@baton/persistence';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { name, pageQuery, text, timestamp, uuid } from '../http/validation/schemas.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { freezeWindowPageResponse, freezeWindowResponse } from './freeze-windows.responses.js';

const DAY_MS = 86_400_000;
/** Without `from`/`to`, a list shows the occurrences from now to 90 days on (API.md). */
const DEFAULT_RANGE_MS = 90 * DAY_MS;
/** The longest range a list expands occurrences over. */
const MAX_RANGE_MS = 732 * DAY_MS;

const createFreezeWindowSchema = z
  .strictObject({
    name,
    reason: text(1, 10_000).optional(),
    start: timestamp,
    end: timestamp,
    rrule: z.string().max(500, 'must have at most 500 characters').optional(),
    timeZone: z.string().max(64).default('UTC').describe('IANA time zone name, e.g. Europe/Paris'),
    scope: z
      .strictObject({
        tiers: z
          .array(z.union(SERVICE_TIERS.map((tier) => z.literal(tier))), 'must be a list of tiers 1 to 4')
          .min(1)
          .max(4)
          .optional(),
        serviceIds: z.array(uuid).min(1).max(100).optional(),
      })
      .optional(),
  })
  .superRefine((body, context) => {
    // Refinements run even where a member failed (a start that is no date stays a string): judge whole bodies.
    if (!(body.start instanceof Date) || !(body.end instanceof Date)) return;
    const problems = freezeWindowProblems({
      start: body.start.toISOString(),
      end: body.end.toISOString(),
      rrule: body.rrule ?? null,
      timeZone: body.timeZone,
    });
    for (const { path, message } of problems) context.addIssue({ code: 'custom', path: [path], message });
  })
  .meta({ id: 'CreateFreezeWindowRequest' });
type CreateFreezeWindowBody = z.output<typeof createFreezeWindowSchema>;

const listFreezeWindowsSchema = z
  .strictObject({ ...pageQuery, from: timestamp.optional(), to: timestamp.optional() })
  .superRefine((query, context) => {
    if (
      (query.from !== undefined && !(query.from instanceof Date)) ||
      (query.to !== undefined && !(query.to instanceof Date))
    )
      return;
    const from = query.from ?? new Date();
    const to = query.to ?? new Date(from.getTime() + DEFAULT_RANGE_MS);
    if (to <= from) context.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (to.getTime() - from.getTime() > MAX_RANGE_MS)
      context.addIssue({ code: 'custom', path: ['to'], message: 'must be at most two years after from' });
  });

function presentFreezeWindow(
  row: FreezeWindowRow,
  from: Date,
  to: Date,
): z.input<typeof freezeWindowResponse> {
  const spec = {
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    rrule: row.rrule,
    timeZone: row.timeZone,
  };
  return {
    id: row.id,
    name: row.name,
    reason: row.reason,
    ...spec,
    scope: { tiers: row.scopeTiers, serviceIds: row.scopeServiceIds },
    occurrences: occurrencesOf(spec, from, to),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Change freezes: no go-live is scheduled into one without an override by a role the tier's policy names. */
@ApiTags('freeze windows')
@ApiBearerAuth()
@Controller('v1/freeze-windows')
export class FreezeWindowsController {
  constructor(
    private readonly db: Database,
    private readonly commands: HandoverCommands,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('smo')
  @ApiOperation({
    summary:
      'Declare a change freeze, once or recurring (RRULE) in a time zone, for some tiers or services (smo)',
  })
  @Responds(201, 'The freeze window, with its occurrences in the next 90 days', freezeWindowResponse)
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createFreezeWindowSchema) body: CreateFreezeWindowBody,
  ): Promise<z.input<typeof freezeWindowResponse>> {
    const serviceIds = body.scope?.serviceIds ? [...new Set(body.scope.serviceIds)] : null;
    for (const [index, id] of (serviceIds ?? []).entries()) {
      if (!(await this.db.services.findById(id)))
        throw AppError.notFound('Service', id, `scope.serviceIds.${index}`);
    }
    const row: FreezeWindowRow = {
      id: randomUUID(),
      name: body.name,
      reason: body.reason ?? null,
      startsAt: body.start,
      endsAt: body.end,
      rrule: body.rrule?.trim().replace(/^RRULE:/i, '') ?? null,
      timeZone: body.timeZone,
      scopeTiers: body.scope?.tiers ? [...new Set(body.scope.tiers)].sort() : null,
      scopeServiceIds: serviceIds,
      createdBy: by.id,
      createdAt: new Date(),
    };
    await this.db.freezeWindows.insert(row);
    // Laid over go-lives already scheduled: each gets the conflict noted and announced (schedule.conflict).
    await this.commands.raiseFreezeConflicts(row);
    return presentFreezeWindow(row, row.createdAt, new Date(row.createdAt.getTime() + DEFAULT_RANGE_MS));
  }

  @Get()
  @ApiOperation({
    summary:
      'Freeze windows that may occur in the range (default: now to 90 days on), with their occurrences in it',
  })
  @Responds(200, 'A page of freeze windows, newest first', freezeWindowPageResponse)
  async list(
    @ValidQuery(listFreezeWindowsSchema) query: z.output<typeof listFreezeWindowsSchema>,
  ): Promise<z.input<typeof freezeWindowPageResponse>> {
    const from = query.from ?? new Date();
    const to = query.to ?? new Date(from.getTime() + DEFAULT_RANGE_MS);
    const page = await this.db.freezeWindows.mayOccurFrom(from, pageRequest(query));
    return {
      ...pageResponse(page, (row) => presentFreezeWindow(row, from, to)),
      from: from.toISOString(),
      to: to.toISOString(),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('smo')
  @ApiOperation({
    summary: 'Lift a freeze window (smo)',
    description:
      'Scheduled go-lives that noted a conflict with it take the conflict back (audited as freeze_lifted).',
  })
  @Responds(204, 'Lifted')
  async remove(@UuidParam() id: string): Promise<void> {
    if (!(await this.db.freezeWindows.delete(id))) throw AppError.notFound('Freeze window', id);
    await this.commands.liftFreezeConflicts(id);
  }
}
