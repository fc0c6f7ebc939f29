import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Metrics } from '@baton/core';
import { type FastifyReply } from 'fastify';
import { Public, Roles } from '../auth/auth.decorators.js';

@ApiTags('system')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Roles('admin')
  @Public((config) => config.metricsPublic)
  @ApiOperation({ summary: 'Prometheus metrics (admin token, or open with BATON_METRICS_PUBLIC=true)' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
