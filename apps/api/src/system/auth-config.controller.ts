import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { type z } from 'zod';
import { Public } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { authConfigResponse } from './system.responses.js';

/** What the console asks for with a sign-in code: who issues its tokens (the roles come in the JWT). */
const OIDC_SCOPES = ['openid', 'profile', 'email'];

@ApiTags('system')
@Controller('v1/auth/config')
export class AuthConfigController {
  private readonly answer: z.input<typeof authConfigResponse>;

  constructor(@Inject(BATON_CONFIG) config: BatonConfig) {
    const oidc = config.oidc;
    this.answer = {
      oidc: oidc?.clientId ? { issuer: oidc.issuer, clientId: oidc.clientId, scopes: OIDC_SCOPES } : null,
    };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "How to sign in: the OIDC issuer and the console's client id, when configured" })
  @Responds(200, 'The sign-in settings', authConfigResponse)
  get(): z.input<typeof authConfigResponse> {
    return this.answer;
  }
}
