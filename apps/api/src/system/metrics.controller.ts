import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AppError, AppErrorCode } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG, Metrics } from '@baton/core';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { hasAnyRole } from '../auth/auth.guard.js';

@ApiTags('system')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly access: Access,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  @Get('metrics')
  @Public()
  @ApiOperation({ summary: 'Prometheus metrics (admin token, or open with BATON_METRICS_PUBLIC=true)' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!this.config.metricsPublic) {
      const token = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
      const principal = token ? await this.access.authenticate(token) : null;
      if (!principal)
        throw new AppError(AppErrorCode.Unauthenticated, 'An admin token is needed for /metrics');
      if (!hasAnyRole(principal.roles, ['admin'])) {
        throw new AppError(AppErrorCode.Forbidden, '/metrics needs the admin role');
      }
    }
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
