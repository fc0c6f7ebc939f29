import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';
import { HandoverCommands } from '@baton/commands';
import { type Principal } from '@baton/access';
import { assertValidCriteria, assertValidPolicy, DEFAULT_CHECKLIST, SERVICE_TIERS } from '@baton/handover';
import { type ChecklistRow, Database } from '@baton/persistence';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
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

function parseTier(value: string): number {
  const parsed = tierParam.safeParse(value);
  if (!parsed.success) {
    throw new AppError(AppErrorCode.Invalid, 'A service tier is 1, 2, 3 or 4', {
      errors: [{ path: 'tier', message: 'must be 1, 2, 3 or 4' }],
    });
  }
  return parsed.data;
}

const presentChecklist = (row: ChecklistRow) => ({
  id: row.id,
  name: row.name,
  version: row.version,
  changeTypes: row.changeTypes,
  tiers: row.tiers,
  criteria: row.criteria,
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

  private async presentPolicy(tier: number) {
    const { policy, source, updatedAt } = await this.commands.policyForTier(tier);
    return { tier, ...policy, source, updatedAt: updatedAt?.toISOString() ?? null };
  }

  @Get('policies')
  @ApiOperation({ summary: 'The policy of every service tier' })
  async listPolicies() {
    return { items: await Promise.all(SERVICE_TIERS.map((tier) => this.presentPolicy(tier))) };
  }

  @Get('policies/:tier')
  @ApiParam({ name: 'tier', description: '1 (most critical) to 4' })
  @ApiOperation({
    summary:
      "A tier's policy: gate roles and quorum, decision SLA, ELS duration and exit criteria, reminders",
  })
  getPolicy(@Param('tier') tier: string) {
    return this.presentPolicy(parseTier(tier));
  }

  @Put('policies/:tier')
  @Roles('smo')
  @ApiParam({ name: 'tier', description: '1 (most critical) to 4' })
  @ApiOperation({ summary: "Replace a tier's policy; it governs rounds opened from now on (smo, admin)" })
  async putPolicy(
    @CurrentPrincipal() by: Principal,
    @Param('tier') tier: string,
    @ValidBody(policySchema) body: PolicyBody,
  ) {
    const parsedTier = parseTier(tier);
    assertValidPolicy(body);
    await this.db.policies.put({ tier: parsedTier, policy: body, updatedBy: by.id, updatedAt: new Date() });
    return this.presentPolicy(parsedTier);
  }

  @Get('checklists')
  @ApiOperation({ summary: 'Checklist templates, newest first (every version; filter by name)' })
  async listChecklists(@ValidQuery(listChecklistsSchema) query: ListChecklistsQuery) {
    const page = await this.db.checklists.list(pageRequest(query), query.name);
    return { ...pageResponse(page, presentChecklist), default: DEFAULT_CHECKLIST };
  }

  @Get('checklists/:id')
  @ApiOperation({ summary: 'One checklist template version' })
  async getChecklist(@UuidParam() id: string) {
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
  async createChecklist(@CurrentPrincipal() by: Principal, @ValidBody(checklistSchema) body: ChecklistBody) {
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
