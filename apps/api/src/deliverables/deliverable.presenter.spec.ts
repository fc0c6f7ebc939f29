import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ACTORS, HandoverDriver, replayHandoverPaths } from '@baton/handover/testing';
import { type Actor, type CriterionSpec, loadHandover, type StoredHandover } from '@baton/handover';
import { type DeliverableRow } from '@baton/persistence';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type z } from 'zod';
import { toOpenApiSchema, toSerializerSchema } from '../http/openapi/json-schema.js';
import { presentDeliverable } from './deliverable.presenter.js';
import { deliverableResponse } from './deliverable.responses.js';

// What each deliverable the model paths reach is served as: Fastify's compiled serializer (the route's
// response schema) must send exactly what the presenter gives, nothing dropped and nothing coerced, and that
// must be what the document's schema describes, nothing more.

const row = (stored: StoredHandover, status: string): DeliverableRow => ({
  id: '6f1d3c1e-0a4b-4c55-9a43-6d1e5c0b7a10',
  checklistId: null,
  awaitingRoles: [],
  projectId: '0b6a4c92-3f5e-4d6a-8b1c-2e9f7a5d4c31',
  serviceId: '9d2e7f41-6c3b-4a58-b9e0-1f4d8c7a2b65',
  title: 'Payroll v2',
  description: null,
  changeType: 'new_service',
  targetGoLive: new Date('2030-03-01T00:00:00.000Z'),
  status,
  snapshot: stored.snapshot,
  machineVersion: stored.machineVersion,
  version: 3,
  submittedBy: null,
  createdBy: null,
  auditSeq: 3,
  auditHash: 'f'.repeat(64),
  createdAt: new Date('2030-01-01T00:00:00.000Z'),
  updatedAt: new Date('2030-01-02T00:00:00.000Z'),
});

const present = (stored: StoredHandover, actor: Actor = ACTORS.pmo) => {
  const handover = loadHandover(stored);
  return presentDeliverable(row(stored, handover.describe().status), handover, actor);
};

let serializer: { close: () => Promise<void>; serialize: (value: unknown) => Promise<string> };

/** A Fastify route whose response schema is the deliverable's, as the API's routes have it. */
async function fastifySerializer(schema: z.ZodType) {
  const fastify = new FastifyAdapter().getInstance();
  let current: unknown;
  fastify.get('/', { schema: { response: { 200: toSerializerSchema(schema) } } }, () => current);
  const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return {
    close: () => fastify.close(),
    serialize: async (value: unknown) => {
      current = value;
      const response = await fetch(address);
      if (response.status !== 200) throw new Error(`serializer: ${response.status} ${await response.text()}`);
      return response.text();
    },
  };
}

beforeAll(async () => {
  serializer = await fastifySerializer(deliverableResponse);
});

afterAll(async () => {
  await serializer?.close();
});

const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
const { schema, components } = toOpenApiSchema(deliverableResponse, 'output');
const localRefs = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/'));
const validate = ajv.compile({ ...(localRefs(schema) as object), $defs: localRefs(components) });

async function expectServedAsPresented(value: unknown): Promise<void> {
  const served: unknown = JSON.parse(await serializer.serialize(value));
  expect(served).toEqual(JSON.parse(JSON.stringify(value)));
  if (!validate(served)) throw new Error(JSON.stringify(validate.errors, null, 2));
}

describe('a deliverable as served', () => {
  it('is what the presenter gives, and what the document describes, in every state the model paths reach', async () => {
    const steps = replayHandoverPaths();
    expect(steps.length).toBeGreaterThan(20);
    // Distinct deliverables only: many steps reach the same state.
    const distinct = new Map<string, unknown>();
    for (const step of steps) {
      for (const actor of [ACTORS.pmo, ACTORS.approverA]) {
        const presented = present(step.after, actor);
        distinct.set(JSON.stringify(presented), presented);
      }
    }
    for (const presented of distinct.values()) await expectServedAsPresented(presented);
  });

  it('carries every optional member of a criterion: probe URL, milestone, evidence, note, detail, waiver', async () => {
    const criteria: CriterionSpec[] = [
      {
        key: 'tests',
        title: 'Tests passed',
        practice: 'service validation and testing',
        mandatory: true,
        kind: 'automated',
        probeUrl: 'https://ci.example.test/health',
        blocks: 'acceptance',
      },
      { key: 'runbook', title: 'Runbook', practice: 'knowledge management', mandatory: true, kind: 'manual' },
      {
        key: 'training',
        title: 'Training',
        practice: 'workforce',
        mandatory: false,
        kind: 'manual',
        blocks: 'go_live',
      },
    ];
    const driver = new HandoverDriver(criteria);
    driver.submit();
    driver.run({ type: 'result', key: 'tests', passed: true, detail: 'CI green' }, ACTORS.smo);
    driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook', note: 'v2' }, ACTORS.pmo);
    driver.run({ type: 'waive', key: 'training', reason: 'Trained last year' }, ACTORS.smo);
    const presented = present(driver.stored);
    const byKey = Object.fromEntries(
      presented.readiness.criteria.map((criterion) => [criterion.key, criterion]),
    );
    expect(byKey.tests).toMatchObject({
      probeUrl: expect.any(String),
      blocks: 'acceptance',
      detail: 'CI green',
    });
    expect(byKey.runbook).toMatchObject({ evidence: 'https://wiki/runbook', note: 'v2' });
    expect(byKey.training).toMatchObject({ waiverReason: 'Trained last year', blocks: 'go_live' });
    await expectServedAsPresented(presented);
  });
});
