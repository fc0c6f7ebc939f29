import { type DynamicModule, Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type BatonConfig } from '@baton/config';
import { type FastifyError } from 'fastify';
import { sendProblem, toProblem, ProblemFilter } from './http/problem.filter.js';
import { logLevels, Metrics } from '@baton/core';

/**
 * The HTTP application around `root` (a module importing CoreModule and ApiModule, plus the worker when
 * one process runs both): Fastify with the body limit, problem+json for every error, OpenAPI at /docs.
 */
export async function createHttpApp(
  root: Type | DynamicModule,
  config: BatonConfig,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, return503OnClosing: true });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: logLevels(config.logLevel),
    abortOnError: false,
  });
  const logger = new Logger('Http');
  const metrics = app.get(Metrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  app.useGlobalFilters(new ProblemFilter());
  // Errors Fastify raises before a route runs (a body over the limit, malformed JSON, a wrong media type).
  app
    .getHttpAdapter()
    .getInstance()
    .setErrorHandler((error: FastifyError, _request, reply) => {
      sendProblem(reply, toProblem(error, logger));
    });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Baton')
      .setDescription(
        'Handover of project deliverables into live service: one record and one workflow for the PMO and the SMO. ' +
          'Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
