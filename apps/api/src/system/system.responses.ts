import { z } from 'zod';
import {
  ACTIONS,
  GATES,
  HANDOVER_EVENT_TYPES,
  PMBOK_DOMAINS,
  PRACTICE_GROUPS,
  PRINCE2_TOUCHPOINTS,
  STATUSES,
  SYSTEM_ACTIONS,
} from '@baton/handover';

const check = z.enum(['up', 'down']);
const checks = z.object({ postgres: check, queue: check.describe('the queue backend: Redis') });

export const healthResponse = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks,
  })
  .meta({ id: 'Health' });

export const readinessResponse = z
  .object({
    status: z.enum(['ready', 'stopping', 'unavailable']),
    checks: checks.nullable().describe('null while stopping: nothing is checked then'),
  })
  .meta({ id: 'Readiness' });

export const livenessResponse = z
  .object({
    status: z.literal('live'),
    stopping: z.boolean().describe('true once SIGTERM came: requests are being drained'),
  })
  .meta({ id: 'Liveness' });

export const metricsResponse = z.string().describe('Prometheus text exposition format');

export const workflowResponse = z
  .object({
    version: z.number().int().describe('the machine version stored with each deliverable'),
    initial: z.enum(STATUSES),
    states: z.array(
      z.object({
        name: z.enum(STATUSES),
        final: z.boolean(),
        initial: z.boolean(),
        events: z.array(z.enum(HANDOVER_EVENT_TYPES)).describe('machine events with a transition here'),
        actions: z
          .array(z.enum([...ACTIONS, ...SYSTEM_ACTIONS]))
          .describe('the commands those events come from'),
        pmo: z.string(),
        smo: z.string(),
      }),
    ),
    events: z.array(z.enum(HANDOVER_EVENT_TYPES)),
    gates: z.array(z.enum(GATES)),
    mermaid: z.string().describe('stateDiagram-v2 text naming every status'),
  })
  .meta({ id: 'Workflow' });

export const glossaryResponse = z
  .object({
    terms: z.array(z.object({ pmo: z.string(), smo: z.string(), baton: z.string() })),
    statuses: z.array(
      z.object({
        status: z.enum(STATUSES),
        pmo: z.string(),
        smo: z.string(),
        practices: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'Glossary', description: 'One record, two vocabularies: PMO and SMO words side by side' });

export const practiceResponse = z
  .object({
    key: z.string().describe('lower_snake: what a checklist criterion stores'),
    name: z.string().describe("ITIL 4's name of the practice"),
    group: z.enum(PRACTICE_GROUPS).describe('general, service or technical management'),
    purpose: z.string(),
    prince2: z.array(z.enum(PRINCE2_TOUCHPOINTS)).describe('the PRINCE2 themes and processes it touches'),
    pmbok: z.array(z.enum(PMBOK_DOMAINS)).describe('the PMBOK performance domains it touches'),
    statuses: z.array(z.enum(STATUSES)).describe('the handover statuses where it matters'),
  })
  .meta({ id: 'Practice' });

export const practicesResponse = z
  .object({ items: z.array(practiceResponse).describe('the 34 ITIL 4 management practices') })
  .meta({ id: 'Practices', description: 'Where ITIL 4 meets PRINCE2 and PMBOK, practice by practice' });

export const authConfigResponse = z
  .object({
    oidc: z
      .object({
        issuer: z
          .string()
          .describe(
            'the OpenID Connect issuer: its discovery document is at /.well-known/openid-configuration',
          ),
        clientId: z.string().describe("the console's client id at the issuer (authorization code with PKCE)"),
        scopes: z.array(z.string()).describe('the scopes to ask for'),
      })
      .nullable()
      .describe('set when BATON_OIDC_ISSUER and BATON_OIDC_CLIENT_ID are: the console offers OIDC sign-in'),
  })
  .meta({ id: 'AuthConfig', description: 'How to sign in to this Baton, for the console (no token needed)' });
