export { type Correlation, correlation, requestIdFrom, withCorrelation } from './correlation.js';
export { createLogger, type LogLevelName, type LogOptions, PINO_LEVELS, prettyLine } from './logging.js';
export {
  activeSpanIds,
  activeTraceparent,
  contextOf,
  failed,
  inSpan,
  type Span,
  SpanKind,
  type SpanOptions,
  startTracing,
  trace,
  tracer,
  type Tracing,
  type TracingOptions,
  withContext,
} from './tracing.js';
