import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type DynamicModule, Global, Inject, Injectable, Module, RequestMethod } from '@nestjs/common';
import {
  Logger as PinoNestLogger,
  LoggerModule,
  PARAMS_PROVIDER_TOKEN,
  type Params,
  PinoLogger,
} from 'nestjs-pino';
import { type Logger } from 'pino';
import { type Options } from 'pino-http';
import { correlation, requestIdFrom } from '@baton/telemetry';

/**
 * What Nest says at `log` while it starts, moved down: its route table to `debug`, its module and
 * application start-up to `verbose`. Baton's own start-up lines say what a start needs to.
 */
const QUIETER: Record<string, 'debug' | 'verbose'> = {
  RoutesResolver: 'debug',
  RouterExplorer: 'debug',
  NestFactory: 'verbose',
  InstanceLoader: 'verbose',
  NestApplication: 'verbose',
  NestApplicationContext: 'verbose',
};

/** Nest's logger on the process's pino logger (nestjs-pino), with Nest's start-up chatter moved down. */
@Injectable()
export class BatonLogger extends PinoNestLogger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    const lower = typeof context === 'string' ? QUIETER[context] : undefined;
    if (lower) super[lower](message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** Requests not worth a line each: probes and scrapes, several a minute from every load balancer. */
const UNLOGGED = /^\/(health|metrics)(\/|$)/;

/**
 * A request's path without its query, which may hold a secret (the calendar feed's token). The original URL:
 * Nest's middleware runs with `url` cut to what follows the path it matched.
 */
const pathOf = (req: IncomingMessage): string =>
  ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0];

/**
 * nestjs-pino's settings: one line per request (`GET /v1/deliverables 200`, with `requestId`, `durationMs`,
 * `req.method`, `req.path`, `res.statusCode`) at `info`, `warn` for a 503, `error` for another 5xx; every line logged while a request
 * runs carries its `requestId` (the id the api gave it, from X-Request-Id when the caller sent a sane one).
 */
export function loggingParams(logger: Logger): Params {
  return {
    renameContext: 'context',
    // Every path, in the form Nest's Fastify adapter matches (nestjs-pino's default, `{/*splat}`, matches none).
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    // A new object on each read: pino-http deletes the options it has read (autoLogging, customAttributeKeys),
    // and nestjs-pino hands it the same settings more than once.
    get pinoHttp() {
      return httpOptions(logger);
    },
  };
}

function httpOptions(logger: Logger): Options {
  return {
    logger,
    // The id the api's server gave the request as it arrived (request-trail.ts).
    genReqId: (req) => correlation()?.requestId ?? requestIdFrom(req.headers['x-request-id']),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    autoLogging: { ignore: (req) => UNLOGGED.test(pathOf(req)) },
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, path: pathOf(req) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // 503 is a state Baton says it is in (stopping, a dependency down; said once more by the line that explains
    // it), not a fault of its own.
    customLogLevel: (_req, res) =>
      res.statusCode === 503 ? 'warn' : res.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res, error) =>
      `${req.method} ${pathOf(req)} ${res.statusCode}: ${error.message}`,
  };
}

/** nestjs-pino on the process's logger, and BatonLogger for Nest (`app.useLogger(app.get(BatonLogger))`). */
@Global()
@Module({})
export class LoggingModule {
  static forLogger(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot(loggingParams(logger))],
      providers: [BatonLogger],
      exports: [BatonLogger],
    };
  }
}
