import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type z } from 'zod';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { presentDelegation } from './delegation.presenter.js';
import { delegationPageResponse, delegationResponse } from './delegations.responses.js';
import {
  type CreateDelegationBody,
  createDelegationSchema,
  type ListDelegationsQuery,
  listDelegationsSchema,
} from './delegations.schemas.js';
import { DelegationsService } from './delegations.service.js';

/** Out of office: a principal lends its approver roles to another for a time (API.md, Delegation). */
@ApiTags('delegations')
@ApiBearerAuth()
@Controller('v1')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Post('principals/:id/delegations')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Delegate approver roles this principal holds to another principal, for at most 90 days (the principal, or admin)',
  })
  @Responds(201, 'The delegation', delegationResponse)
  async create(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @ValidBody(createDelegationSchema) body: CreateDelegationBody,
  ): Promise<z.input<typeof delegationResponse>> {
    const row = await this.delegations.create(by, id, body);
    return presentDelegation(row, new Date());
  }

  @Get('principals/:id/delegations')
  @ApiOperation({
    summary:
      'The delegations this principal gave and received, revoked ones too, newest first (the principal, admin; a delegate sees those between the two)',
  })
  @Responds(200, 'A page of delegations', delegationPageResponse)
  async list(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @ValidQuery(listDelegationsSchema) query: ListDelegationsQuery,
  ): Promise<z.input<typeof delegationPageResponse>> {
    const now = new Date();
    const page = await this.delegations.list(by, id, pageRequest(query));
    return pageResponse(page, (row) => presentDelegation(row, now));
  }

  @Delete('delegations/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a delegation at once (the delegator, or admin)' })
  @Responds(204, 'Revoked')
  async revoke(@CurrentPrincipal() by: Principal, @UuidParam() id: string): Promise<void> {
    await this.delegations.revoke(by, id);
  }
}
