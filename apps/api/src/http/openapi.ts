import { type OpenAPIObject } from '@nestjs/swagger';
import { ACTIONS, CHANGE_TYPES, CRITERION_STATUSES, DECISIONS, GATES, STATUSES } from '@baton/handover';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Record<string, unknown>) => ({ ...schema, nullable: true });
const time = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };

/** Schemas of what the API answers, for /docs-json; requests are documented from their validation schemas. */
const SCHEMAS: Record<string, Record<string, unknown>> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details: every error of the API',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string', description: 'stable error code, e.g. HANDOVER.ACTION_NOT_ALLOWED' },
      errors: {
        type: 'array',
        description: 'validation errors, one per bad field',
        items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
      state: {
        type: 'string',
        enum: [...STATUSES],
        description: 'for illegal transitions: the current status',
      },
      allowedActions: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
    },
  },
  Criterion: {
    type: 'object',
    properties: {
      key: { type: 'string' },
      title: { type: 'string' },
      practice: { type: 'string' },
      mandatory: { type: 'boolean' },
      kind: { type: 'string', enum: ['manual', 'automated'] },
      status: { type: 'string', enum: [...CRITERION_STATUSES] },
      evidence: { type: 'string' },
      detail: { type: 'string' },
      waiverReason: { type: 'string' },
      updatedAt: nullable(time),
      updatedBy: nullable(uuid),
    },
  },
  Approval: {
    type: 'object',
    properties: {
      gate: { type: 'string', enum: [...GATES] },
      round: { type: 'integer' },
      principalId: uuid,
      role: { type: 'string' },
      decision: { type: 'string', enum: [...DECISIONS] },
      comment: nullable({ type: 'string' }),
      at: time,
    },
  },
  Deliverable: {
    type: 'object',
    properties: {
      id: uuid,
      status: { type: 'string', enum: [...STATUSES] },
      version: { type: 'integer', description: 'adds 1 with every change; the ETag' },
      projectId: uuid,
      serviceId: uuid,
      title: { type: 'string' },
      description: nullable({ type: 'string' }),
      changeType: { type: 'string', enum: [...CHANGE_TYPES] },
      targetGoLive: time,
      submittedBy: nullable(uuid),
      round: { type: 'integer', description: 'the acceptance round: a resubmission opens a new one' },
      readiness: { type: 'object', properties: { criteria: { type: 'array', items: ref('Criterion') } } },
      approvals: { type: 'array', items: ref('Approval') },
      gate: { type: 'object', nullable: true, description: 'the gate waiting for decisions, if any' },
      awaitingRoles: { type: 'array', items: { type: 'string' } },
      incidents: { type: 'array', items: { type: 'object' } },
      goLiveWindow: nullable({ type: 'object', properties: { start: time, end: time } }),
      els: { type: 'object', properties: { period: { type: 'integer' }, extensions: { type: 'integer' } } },
      hold: nullable({ type: 'object' }),
      checklistId: nullable(uuid),
      allowedActions: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
      createdAt: time,
      updatedAt: time,
    },
  },
  AuditEvent: {
    type: 'object',
    properties: {
      seq: { type: 'integer' },
      at: time,
      principalId: nullable(uuid),
      action: { type: 'string' },
      fromStatus: nullable({ type: 'string', enum: [...STATUSES] }),
      toStatus: { type: 'string', enum: [...STATUSES] },
      data: { type: 'object' },
      hash: { type: 'string', description: 'hex SHA-256 of (prevHash ?? "") + canonical JSON of the event' },
      prevHash: nullable({ type: 'string' }),
    },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'malformed or invalid input (a malformed id too)',
  '401': 'no or bad token',
  '403': 'role or separation-of-duties refusal',
  '404': 'an id that names nothing',
  '409': 'not allowed in the current state, a write conflict, or a second decision in one round',
  '412': 'If-Match names another version',
  '413': 'a body over 1 MiB',
  '422': 'an Idempotency-Key used with another body',
  '429': 'rate limited (Retry-After)',
  '503': 'a dependency is down (Retry-After)',
};

/** Adds the response schemas and, on every operation, the problem responses it can give. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...SCHEMAS } };
  const problem = { 'application/problem+json': { schema: ref('Problem') } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(
      item as Record<string, { responses?: Record<string, unknown> }>,
    )) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = (operation.responses ??= {});
      const isPublic = path === '/health' || path.startsWith('/docs');
      for (const [status, description] of Object.entries(ERRORS)) {
        if (isPublic && status !== '503') continue;
        if (method === 'get' && ['412', '413', '422'].includes(status)) continue;
        responses[status] ??= { description, content: problem };
      }
      if (
        path.startsWith('/v1/deliverables/{id}') &&
        !path.endsWith('/history') &&
        !path.endsWith('/verify') &&
        !path.endsWith('/reminders')
      ) {
        const ok = method === 'post' || method === 'patch' || method === 'get' ? '200' : undefined;
        if (ok)
          responses[ok] = {
            description: 'the deliverable (ETag: its version)',
            content: { 'application/json': { schema: ref('Deliverable') } },
          };
      }
      if (path === '/v1/deliverables/{id}/history') {
        responses['200'] = {
          description: 'the audit events, oldest first',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { items: { type: 'array', items: ref('AuditEvent') } } },
            },
          },
        };
      }
    }
  }
  return document;
}
