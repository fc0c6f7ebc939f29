import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type z } from 'zod';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { DelegationsService } from '../delegations/delegations.service.js';
import { presentMe } from './catalogue.presenter.js';
import { meResponse } from './catalogue.responses.js';

@ApiTags('principals')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly delegations: DelegationsService) {}

  @Get()
  @ApiOperation({ summary: 'Who the caller is: its roles, and the roles delegated to it now (any token)' })
  @Responds(200, 'The caller', meResponse)
  async me(@CurrentPrincipal() principal: Principal): Promise<z.input<typeof meResponse>> {
    return presentMe(principal, await this.delegations.inForceFor(principal.id, new Date()));
  }
}
