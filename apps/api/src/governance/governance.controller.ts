import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';
import { HandoverCommands } from '@baton/commands';
import { type Principal } from '@baton/access';
import {
  assertValidCriteria,
  assertValidPolicy,
  CHANGE_TYPES,
  type CriterionSpec,
  DEFAULT_CHECKLIST,
  type Policy,
  requiresActionOwners,
  SERVICE_TIERS,
} from '@baton/handover';
import { type ChecklistRow, Database } from '@baton/persistence';
import { type z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { oneOf, type SameShape } from '../http/openapi/response-schemas.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import {
  type ChecklistBody,
  checklistSchema,
  type ListChecklistsQuery,
  listChecklistsSchema,
  type PolicyBody,
  policySchema,
  tierParam,
} from './governance.schemas.js';
import {
  type checklistCriterionResponse,
  checklistPageResponse,
  checklistResponse,
  policiesResponse,
  type policyFields,
  policyResponse,
} from './governance.responses.js';

function parseTier(value: string): number {
  const parsed = tierParam.safeParse(value);
  if (!parsed.success) {
    throw new AppError(AppErrorCode.Invalid, 'A service tier is 1, 2, 3 or 4', {
      errors: [{ path: 'tier', message: 'must be 1, 2, 3 or 4' }],
    });
  }
  return parsed.data;
}

// Served as the domain holds them.
const sameShapes = [
  true satisfies SameShape<Policy, z.output<z.ZodObject<typeof policyFields>>>,
  true satisfies SameShape<CriterionSpec, z.output<typeof checklistCriterionResponse>>,
];
void sameShapes;

const presentChecklist = (row: ChecklistRow): z.input<typeof checklistResponse> => ({
  id: row.id,
  name: row.name,
  version: row.version,
  changeTypes: row.changeTypes.map((type) => oneOf(CHANGE_TYPES, type, 'change type')),
  tiers: row.tiers,
  // Validated as CriterionSpec[] when the template was posted (checklistSchema, assertValidCriteria).
  criteria: row.criteria as CriterionSpec[],
  createdAt: row.createdAt.toISOString(),
});

/** What the SMO owns: the approval policy of each service tier and the readiness checklist templates. */
@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1')
export class GovernanceController {
  constructor(
    private readonly db: Database,
    private readonly commands: HandoverCommands,
  ) {}

  private async presentPolicy(tier: number): Promise<z.input<typeof policyResponse>> {
    const { policy, source, updatedAt } = await this.commands.policyForTier(tier);
    return {
      tier,
      ...policy,
      elsExitRequiresActionOwners: requiresActionOwners(policy),
      source,
      updatedAt: updatedAt?.toISOString() ?? null,
    };
  }

  @Get('policies')
  @ApiOperation({ summary: 'The policy of every service tier' })
  @Responds(200, 'The policies, tier 1 to 4', policiesResponse)
  async listPolicies(): Promise<z.input<typeof policiesResponse>> {
    return { items: await Promise.all(SERVICE_TIERS.map((tier) => this.presentPolicy(tier))) };
  }

  @Get('policies/:tier')
  @ApiParam({
    name: 'tier',
    description: '1 (most critical) to 4',
    schema: { type: 'integer', minimum: 1, maximum: 4 },
  })
  @ApiOperation({
    summary:
      "A tier's policy: gate roles and quorum, decision SLA, ELS duration and exit criteria, reminders",
  })
  @Responds(200, 'The policy', policyResponse)
  getPolicy(@Param('tier') tier: string): Promise<z.input<typeof policyResponse>> {
    return this.presentPolicy(parseTier(tier));
  }

  @Put('policies/:tier')
  @Roles('smo')
  @ApiParam({
    name: 'tier',
    description: '1 (most critical) to 4',
    schema: { type: 'integer', minimum: 1, maximum: 4 },
  })
  @ApiOperation({ summary: "Replace a tier's policy; it governs rounds opened from now on (smo, admin)" })
  @Responds(200, 'The policy as stored', policyResponse)
  async putPolicy(
    @CurrentPrincipal() by: Principal,
    @Param('tier') tier: string,
    @ValidBody(policySchema) body: PolicyBody,
  ): Promise<z.input<typeof policyResponse>> {
    const parsedTier = parseTier(tier);
    assertValidPolicy(body);
    await this.db.policies.put({ tier: parsedTier, policy: body, updatedBy: by.id, updatedAt: new Date() });
    return this.presentPolicy(parsedTier);
  }

  @Get('checklists')
  @ApiOperation({ summary: 'Checklist templates, newest first (every version; filter by name)' })
  @Responds(200, 'A page of checklist templates, and the built-in default', checklistPageResponse)
  async listChecklists(
    @ValidQuery(listChecklistsSchema) query: ListChecklistsQuery,
  ): Promise<z.input<typeof checklistPageResponse>> {
    const page = await this.db.checklists.list(pageRequest(query), query.name);
    return { ...pageResponse(page, presentChecklist), default: DEFAULT_CHECKLIST };
  }

  @Get('checklists/:id')
  @ApiOperation({ summary: 'One checklist template version' })
  @Responds(200, 'The checklist template', checklistResponse)
  async getChecklist(@UuidParam() id: string): Promise<z.input<typeof checklistResponse>> {
    const row = await this.db.checklists.findById(id);
    if (!row) throw AppError.notFound('Checklist', id);
    return presentChecklist(row);
  }

  @Post('checklists')
  @HttpCode(201)
  @Roles('smo')
  @ApiOperation({
    summary: 'Add a checklist template; a name that exists gets its next version (smo, admin)',
  })
  @Responds(201, 'The checklist template, with its version', checklistResponse)
  async createChecklist(
    @CurrentPrincipal() by: Principal,
    @ValidBody(checklistSchema) body: ChecklistBody,
  ): Promise<z.input<typeof checklistResponse>> {
    assertValidCriteria(body.criteria);
    const row = await this.db.checklists.insertNextVersion({
      id: randomUUID(),
      name: body.name,
      changeTypes: [...new Set(body.changeTypes)],
      tiers: [...new Set(body.tiers)],
      criteria: body.criteria,
      createdBy: by.id,
      createdAt: new Date(),
    });
    return presentChecklist(row);
  }
}
