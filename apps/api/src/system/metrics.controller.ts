import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Metrics } from '@baton/core';
import { type FastifyReply } from 'fastify';
import { Public, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { metricsResponse } from './system.responses.js';

@ApiTags('system')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Roles('admin')
  @Public((config) => config.metricsPublic)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Prometheus metrics (admin token, or open with BATON_METRICS_PUBLIC=true)' })
  @Responds(200, 'The metrics', metricsResponse, { mediaType: 'text/plain; version=0.0.4' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
