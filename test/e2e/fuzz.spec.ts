// Property-based tests against the running app (fast-check), on a scratch database of their own.
// 1. Every write endpoint gets random JSON, mutated valid bodies, bytes that are not JSON, random media
//    types, path ids, If-Match and Idempotency-Key headers; list endpoints get random query strings.
//    Never a 5xx; every 4xx is a problem document; after a 4xx the resource is as it was.
// 2. Random sequences of deliverable commands from random principals: final states stay final, one audit
//    event per accepted command (and one per system transition), the chain verifies, version = events,
//    and no principal approves twice in one gate round.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ADMIN_PRINCIPAL_ID } from '@baton/access';
import { verifyChain } from '@baton/commands';
import { ACTIONS, type Action, DEFAULT_POLICIES, roleRefusal } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  ADVISORY,
  ALL_CHANGE_TYPES,
  AUTOMATED,
  deliverableIn,
  FIXTURE_CRITERIA,
  type FixtureActors,
  type FixtureState,
  goLiveWindow,
  MANUAL,
} from '../support/deliverable-states.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { sleep } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

/** Runs per write endpoint, per list endpoint, and random event sequences: sized to keep the file under 90 s. */
const RUNS_PER_WRITE = 40;
const RUNS_PER_LIST = 40;
const SEQUENCE_RUNS = 40;

/** Deliverables fuzzed one request at a time: the default tier 4 policy, whose timers lie days ahead. */
const FUZZ_TIER = 4;
/** Deliverables driven by the event sequences: an ELS period of 0.3 s, so that they reach els_review. */
const SEQUENCE_TIER = 3;
const SEQUENCE_POLICY = {
  acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla: 'PT1H' },
  elsExit: { roles: ['service_owner', 'operations'], quorum: 1, decisionSla: 'PT1H' },
  elsDuration: 'PT0.3S',
  elsFollowUpEvery: 'P1D',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: [] as string[],
};
/** Deliverables that must reach els_review for their fixture (lessons): tier 4's policy with a 0.3 s ELS. */
const REVIEW_TIER = 2;
const REVIEW_POLICY = { ...DEFAULT_POLICIES[4], elsDuration: 'PT0.3S' };
const FINAL = new Set(['operational', 'cancelled', 'rejected']);
/** What a final status still takes: operational records the live service's follow-on actions and lessons. */
const STILL_TAKEN: Record<string, readonly string[]> = {
  operational: ['create_action', 'assign_action', 'close_action', 'record_lesson'],
  cancelled: [],
  rejected: [],
};

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
let fx: FixtureActors;
let served: string[] = [];

interface Principal {
  name: string;
  id: string;
  roles: string[];
  client: ApiClient;
}
const people: Record<string, Principal> = {};
const refs = { projectId: '', fuzzServiceId: '', sequenceServiceId: '', reviewServiceId: '' };
let fuzzed = 0;

// ---------------------------------------------------------------------------------------------------------
// Raw HTTP: bodies as bytes or text exactly as generated, answers checked before they are parsed.

interface Raw {
  status: number;
  contentType: string;
  text: string;
  json: any;
  jsonError?: string;
}

async function send(
  token: string | null,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Raw> {
  const response = await fetch(`${baton.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const raw: Raw = { status: response.status, contentType, text, json: undefined };
  if (contentType.includes('json') && text.length > 0) {
    try {
      raw.json = JSON.parse(text);
    } catch (error) {
      raw.jsonError = String(error);
    }
  }
  return raw;
}

/** The properties every answer has: never a 5xx, and a 4xx is an RFC 9457 problem document. */
function expectSane(what: string, raw: Raw): void {
  const summary = { what, status: raw.status, contentType: raw.contentType, body: raw.text.slice(0, 400) };
  expect({ ...summary, serverError: raw.status >= 500 }).toEqual({ ...summary, serverError: false });
  if (raw.status >= 400) {
    expect({ ...summary, problem: raw.json, jsonError: raw.jsonError }).toMatchObject({
      ...summary,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      problem: {
        type: expect.any(String),
        title: expect.any(String),
        status: raw.status,
        detail: expect.any(String),
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generated input.

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const asciiText = (maxLength: number) => fc.string({ unit: printable, maxLength });

/** JSON text of a value of any kind, including what JSON.stringify cannot write (-0, 1e400). */
const jsonPiece: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '1e308',
      '-1e308',
      '1e400',
      '-0',
      '0',
      '-1',
      '1.5',
      '5e-324',
      '9007199254740993',
      '"NaN"',
      '"Infinity"',
      '"-0"',
      '"1e308"',
      'true',
      'null',
      '[]',
      '{}',
      '""',
      '" "',
    ),
    weight: 2,
  },
  {
    // Over every text limit (200, 2,000, 10,000), near the 1 MiB body limit and over it (413: the server
    // reads the rest of the body before it answers, so the client gets the answer, not a reset).
    arbitrary: fc
      .constantFrom(201, 2_001, 10_001, 70_000, 500_000, 1_100_000)
      .map((length) => JSON.stringify('x'.repeat(length))),
    weight: 1,
  },
  { arbitrary: asciiText(8).map((text) => JSON.stringify(`${text}\u0000${text}`)), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 5_000 }), fc.boolean())
      .map(([depth, objects]) =>
        objects
          ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
          : `${'['.repeat(depth)}${']'.repeat(depth)}`,
      ),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"prototype":{"polluted":true}}',
    ),
    weight: 1,
  },
);

const fieldName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'colour', ''),
  fc.string({ maxLength: 12 }),
);

type Mutation =
  | { op: 'replace'; at: number; piece: string }
  | { op: 'remove'; at: number }
  | { op: 'add'; at: number; key: string; piece: string }
  | { op: 'wrap'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), piece: jsonPiece }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fieldName, piece: jsonPiece }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }),
);

type Path = (string | number)[];

function pathsOf(value: unknown, here: Path = []): { path: Path; isObject: boolean }[] {
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...here, index]))
    : isObject
      ? Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
          pathsOf(item, [...here, key]),
        )
      : [];
  return [{ path: here, isObject }, ...children];
}

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((part, i) => part === b[i]);

/** JSON text of `value` with `change` applied at `target`; undefined where the value is removed. */
function render(value: unknown, target: Path, change: Mutation, here: Path = []): string | undefined {
  const atTarget = samePath(here, target);
  if (atTarget && change.op === 'replace') return change.piece;
  if (atTarget && change.op === 'remove') return undefined;
  let text: string;
  if (Array.isArray(value)) {
    const items = value.map((item, index) => render(item, target, change, [...here, index]));
    text = `[${items.filter((item) => item !== undefined).join(',')}]`;
  } else if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
      const rendered = render(item, target, change, [...here, key]);
      return rendered === undefined ? [] : [`${JSON.stringify(key)}:${rendered}`];
    });
    if (atTarget && change.op === 'add') members.push(`${JSON.stringify(change.key)}:${change.piece}`);
    text = `{${members.join(',')}}`;
  } else {
    text = JSON.stringify(value) ?? 'null';
  }
  return atTarget && change.op === 'wrap' ? `[${text}]` : text;
}

function mutate(valid: unknown, change: Mutation): string {
  const all = pathsOf(valid);
  const candidates =
    change.op === 'add'
      ? all.filter((entry) => entry.isObject)
      : change.op === 'remove'
        ? all.filter((entry) => entry.path.length > 0)
        : all;
  // A body with nothing to remove (`{}`) gets an unknown field instead.
  if (candidates.length === 0) return render(valid, [], { op: 'add', at: 0, key: 'x', piece: '1' }, [])!;
  return render(valid, candidates[change.at % candidates.length].path, change) ?? 'null';
}

const mediaType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/json',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'APPLICATION/JSON',
    'application/json;;;',
    'application/problem+json',
    'application/merge-patch+json',
    'application/octet-stream',
    '*/*',
    '',
  ),
  asciiText(40),
);

const pathValue = fc.oneof(
  fc.uuid(),
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.uuid().map((uuid) => uuid.slice(0, -1)),
  fc.uuid().map((uuid) => `${uuid.slice(0, 9)}g${uuid.slice(10)}`),
  fc.uuid().map((uuid) => uuid.replace(/-/g, '')),
  fc.uuid().map((uuid) => `${uuid} `),
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ADMIN_PRINCIPAL_ID,
    'not-a-uuid',
    '0',
    '-1',
    '5',
    '1e308',
    'null',
    'undefined',
    '%00',
    '\u0000',
    ' ',
    '{id}',
    '💥',
    'INC-1',
    'a'.repeat(65),
  ),
  // Over Fastify's maxParamLength (100).
  fc.constantFrom('a'.repeat(101), 'a'.repeat(5_000)),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const ifMatchValue = fc.oneof(
  fc.nat({ max: 12 }).map(String),
  fc.nat({ max: 12 }).map((n) => `"${n}"`),
  fc.nat({ max: 12 }).map((n) => `W/"${n}"`),
  fc.constantFrom('*', '', '"1", "2"', '-1', '1.0', '0x1', '1e3', '9999999999', '"', 'W/', '"abc"', 'null'),
  asciiText(20),
);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Date-times of the form the schemas take, at the edges of the calendar and of the offsets. */
const dateTime = fc.oneof(
  fc.constantFrom(
    '9999-12-31T23:59:59-14:00',
    '9999-12-31T23:59:59.999999999Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+14:00',
    '1970-01-01T00:00:00Z',
    '2024-02-29T12:00:00+05:30',
    '2025-02-29T12:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-06-30T23:59:60Z',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '2026-01-01T00:00:00+24:00',
  ),
  fc
    .record({
      year: fc.oneof(fc.constantFrom(0, 1, 1969, 9999), fc.integer({ min: 1000, max: 3000 })),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      offset: fc.constantFrom('Z', '+00:00', '-14:00', '+14:00', '-23:59', '+23:59', '+05:30'),
    })
    .map(
      (d) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:00${d.offset}`,
    ),
);

type Shape =
  | { kind: 'json'; piece: string }
  | { kind: 'date'; at: number; value: string }
  | { kind: 'mutated'; change: Mutation }
  | { kind: 'bytes'; bytes: Uint8Array; mediaType: string | null }
  | { kind: 'mediaType'; mediaType: string }
  | { kind: 'pathParam'; param: number; value: string }
  | { kind: 'ifMatch'; value: string }
  | { kind: 'idempotencyKey'; value: string };

const shape: fc.Arbitrary<Shape> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('json' as const), piece: jsonPiece }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('mutated' as const), change: mutation }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('date' as const), at: fc.nat(), value: dateTime }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
      mediaType: fc.option(mediaType, { nil: null }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('mediaType' as const), mediaType }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('pathParam' as const), param: fc.nat(), value: pathValue }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('ifMatch' as const), value: ifMatchValue }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('idempotencyKey' as const),
      value: fc.oneof(asciiText(40), fc.constantFrom('', ' ', 'k'.repeat(300), 'fuzz-key-1')),
    }),
    weight: 1,
  },
);

/** Run first on every write endpoint, then the random ones: inputs that once found a bug. */
const EDGE_CASES: [Shape][] = [
  // The latest date-time the schemas take: year 10000 in UTC.
  [{ kind: 'date', at: 0, value: '9999-12-31T23:59:59-14:00' }],
  // One character over Fastify's maxParamLength.
  [{ kind: 'pathParam', param: 0, value: 'a'.repeat(101) }],
  // The admin's own id: rotating its own token is allowed, and the run must go on with the new one.
  [{ kind: 'pathParam', param: 0, value: ADMIN_PRINCIPAL_ID }],
];

// ---------------------------------------------------------------------------------------------------------
// Write endpoints: a fixture each, a valid body, and what to compare before and after a refusal.

interface Fixture {
  params: Record<string, string>;
  /** The token of the principal a fixture made, where the snapshot asks what that token may still do. */
  token?: string;
}

interface Target {
  /** Who sends the fuzzed requests: a principal that may, so that input reaches validation and the domain. */
  as: () => ApiClient;
  fixture: () => Promise<Fixture>;
  /** A valid body for the fixture; undefined: the route takes none. */
  body?: (fixture: Fixture) => unknown;
  snapshot: (fixture: Fixture) => Promise<unknown>;
  /** The deliverable's version is in the snapshot: If-Match is checked against it. */
  deliverable?: boolean;
  /** What must hold after a 2xx, beyond the answer itself. */
  accepted?: (fixture: Fixture, answer: Raw, what: unknown) => Promise<void>;
}

/** A recurring freeze far from the go-live windows the other targets schedule. */
const FREEZE_BODY = {
  name: 'Fuzz freeze',
  reason: 'fuzz',
  start: '2040-01-06T18:00:00Z',
  end: '2040-01-09T06:00:00Z',
  rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=4',
  timeZone: 'Europe/Paris',
  scope: { tiers: [1] },
};
/** Every freeze window: from a start before any of them, each is listed whatever its occurrences. */
const EVERY_FREEZE = '/v1/freeze-windows?from=2000-01-01T00:00:00Z&to=2001-12-31T00:00:00Z';

const noParams = (): Promise<Fixture> => Promise.resolve({ params: {} });

async function listSnapshot(path: string): Promise<unknown> {
  const response = await admin.get(`${path}${path.includes('?') ? '&' : '?'}limit=20`);
  expect(response.status).toBe(200);
  return response.body.items;
}

async function deliverableSnapshot(fixture: Fixture): Promise<any> {
  const id = fixture.params.id;
  const [deliverable, history] = await Promise.all([
    admin.get(`/v1/deliverables/${id}`),
    admin.get(`/v1/deliverables/${id}/history`),
  ]);
  return { deliverable: deliverable.body, events: history.body.items.length };
}

async function principalSnapshot(fixture: Fixture): Promise<unknown> {
  const [principal, me] = await Promise.all([
    admin.get(`/v1/principals/${fixture.params.id}`),
    admin.as(fixture.token!).get('/v1/principals/me'),
  ]);
  return { principal: principal.body, tokenWorks: me.status };
}

/** A principal with an approver role to lend, and one to lend it to. */
async function delegatorAndDelegate(): Promise<Fixture> {
  const [delegator, delegate] = await Promise.all([
    admin.post('/v1/principals', { name: unique('delegator'), roles: ['service_owner'] }),
    admin.post('/v1/principals', { name: unique('delegate'), roles: ['auditor'] }),
  ]);
  expect([delegator.status, delegate.status]).toEqual([201, 201]);
  return { params: { id: delegator.body.id, delegateId: delegate.body.id } };
}

const delegationBody = (fixture: Fixture) => ({
  delegateId: fixture.params.delegateId,
  roles: ['service_owner'],
  from: '2040-01-01T00:00:00Z',
  until: '2040-01-15T00:00:00Z',
  reason: 'fuzz',
});

async function sparePrincipal(): Promise<Fixture> {
  const response = await admin.post('/v1/principals', { name: unique('spare'), roles: ['pmo'] });
  expect(response.status).toBe(201);
  return { params: { id: response.body.id }, token: response.body.token };
}

const fixtureIn =
  (state: FixtureState, extra: Record<string, string> = {}) =>
  async (): Promise<Fixture> => ({
    params: {
      id: await deliverableIn(
        fx,
        {
          projectId: refs.projectId,
          serviceId: state === 'els_review' ? refs.reviewServiceId : refs.fuzzServiceId,
        },
        state,
      ),
      ...extra,
    },
  });

const deliverableCommand = (
  state: FixtureState,
  as: () => ApiClient,
  body: unknown,
  extra: Record<string, string> = {},
): Target => ({
  as,
  fixture: fixtureIn(state, extra),
  body: () => body,
  snapshot: deliverableSnapshot,
  deliverable: true,
});

/** What the API took in a draft, the machine takes too: the draft can be submitted. */
async function expectSubmittable(id: string, what: unknown): Promise<void> {
  const submitted = await fx.pmo.post(`/v1/deliverables/${id}/submit`);
  expect({ what, submit: submitted.status, problem: submitted.body }).toMatchObject({ what, submit: 200 });
}

const WEBHOOK_BODY = {
  url: 'http://127.0.0.1:9/fuzz',
  events: ['els.extended'],
  secret: 'fuzz-secret-0123456789',
};

const TARGETS: Record<string, Target> = {
  'POST /v1/principals': {
    as: () => admin,
    fixture: noParams,
    body: () => ({ name: 'fuzz', roles: ['auditor', 'service_owner'], email: 'fuzz@example.com' }),
    snapshot: () => listSnapshot('/v1/principals'),
  },
  'DELETE /v1/principals/{id}': {
    as: () => admin,
    fixture: sparePrincipal,
    snapshot: principalSnapshot,
  },
  'POST /v1/principals/{id}/token': {
    as: () => admin,
    fixture: sparePrincipal,
    body: () => ({}),
    snapshot: principalSnapshot,
    accepted: async (_fixture, answer) => {
      // A path fuzzed to the admin's own id rotates the admin's token (allowed: a principal may rotate its
      // own): the old one answers 401 from now on, so the run goes on with the new one.
      if (answer.json.id !== ADMIN_PRINCIPAL_ID) return;
      admin = admin.as(answer.json.token);
      people.admin.client = admin;
      expect((await admin.get('/v1/principals/me')).status).toBe(200);
    },
  },
  'POST /v1/principals/{id}/feed-token': {
    as: () => admin,
    fixture: sparePrincipal,
    body: () => ({}),
    // A feed token shows in no read of the API (only the calendar answers to it): the answers are what is checked.
    snapshot: principalSnapshot,
  },
  'POST /v1/principals/{id}/delegations': {
    as: () => admin,
    fixture: delegatorAndDelegate,
    body: delegationBody,
    snapshot: (fixture) => listSnapshot(`/v1/principals/${fixture.params.id}/delegations`),
  },
  'DELETE /v1/delegations/{id}': {
    as: () => admin,
    fixture: async () => {
      const principals = await delegatorAndDelegate();
      const made = await admin.post(
        `/v1/principals/${principals.params.id}/delegations`,
        delegationBody(principals),
      );
      expect(made.status).toBe(201);
      return { params: { id: made.body.id, delegatorId: principals.params.id } };
    },
    snapshot: (fixture) => listSnapshot(`/v1/principals/${fixture.params.delegatorId}/delegations`),
  },
  'POST /v1/admin/queues/session': {
    as: () => admin,
    fixture: noParams,
    body: () => ({}),
    // A session lives in the api's memory, seen by no read of the API: the answers are what is checked.
    snapshot: () => Promise.resolve(null),
  },
  'POST /v1/services': {
    as: () => fx.smo,
    fixture: noParams,
    body: () => ({ name: 'fuzz', tier: 2, ownerName: 'Owner', supportGroup: 'Group' }),
    snapshot: () => listSnapshot('/v1/services'),
  },
  'POST /v1/projects': {
    as: () => fx.pmo,
    fixture: noParams,
    body: () => ({ key: unique('FZ'), name: 'Fuzz', methodology: 'hybrid', managerName: 'Manager' }),
    snapshot: () => listSnapshot('/v1/projects'),
  },
  'PUT /v1/policies/{tier}': {
    as: () => fx.smo,
    // Tier 1: no deliverable here is of tier 1.
    fixture: () => Promise.resolve({ params: { tier: '1' } }),
    body: () => DEFAULT_POLICIES[1],
    snapshot: async () => (await admin.get('/v1/policies')).body,
  },
  'POST /v1/checklists': {
    as: () => fx.smo,
    fixture: noParams,
    body: () => ({
      name: 'fuzz',
      changeTypes: ['retirement'],
      tiers: [1],
      criteria: [
        {
          key: 'probe',
          title: 'Probe',
          practice: 'monitoring and event management',
          mandatory: true,
          kind: 'automated',
          probeUrl: 'http://127.0.0.1:9/probe',
          blocks: 'acceptance',
        },
      ],
    }),
    snapshot: () => listSnapshot('/v1/checklists'),
  },
  'POST /v1/deliverables': {
    as: () => fx.pmo,
    fixture: noParams,
    body: () => ({
      projectId: refs.projectId,
      serviceId: refs.fuzzServiceId,
      title: 'Fuzz',
      description: 'fuzzed',
      changeType: 'minor_change',
      targetGoLive: '2031-01-01T00:00:00Z',
    }),
    snapshot: () => listSnapshot('/v1/deliverables'),
    accepted: (_fixture, answer, what) => expectSubmittable(answer.json.id, what),
  },
  'PATCH /v1/deliverables/{id}': {
    ...deliverableCommand('draft', () => fx.pmo, {
      title: 'Edited',
      description: 'edited',
      changeType: 'major_change',
      targetGoLive: '2031-02-01T00:00:00+01:00',
    }),
    accepted: (fixture, _answer, what) => expectSubmittable(fixture.params.id, what),
  },
  'POST /v1/deliverables/{id}/submit': deliverableCommand('draft', () => fx.pmo, {}),
  'POST /v1/deliverables/{id}/resubmit': deliverableCommand('rework', () => fx.pmo, {}),
  'POST /v1/deliverables/{id}/hold': deliverableCommand('draft', () => fx.smo, { reason: 'fuzz' }),
  'POST /v1/deliverables/{id}/resume': deliverableCommand('on_hold', () => fx.smo, {}),
  'POST /v1/deliverables/{id}/cancel': deliverableCommand('draft', () => fx.pmo, { reason: 'fuzz' }),
  'POST /v1/deliverables/{id}/readiness/{key}/attest': deliverableCommand(
    'readiness',
    () => fx.pmo,
    { evidence: 'wiki', note: 'note' },
    { key: MANUAL },
  ),
  'POST /v1/deliverables/{id}/readiness/{key}/probe': deliverableCommand(
    'readiness',
    () => fx.smo,
    {},
    { key: AUTOMATED },
  ),
  'POST /v1/deliverables/{id}/readiness/{key}/waive': deliverableCommand(
    'readiness',
    () => fx.smo,
    { reason: 'fuzz' },
    { key: AUTOMATED },
  ),
  'POST /v1/deliverables/{id}/readiness/{key}/result': deliverableCommand(
    'readiness',
    () => fx.smo,
    { passed: false, detail: 'red' },
    { key: AUTOMATED },
  ),
  'POST /v1/deliverables/{id}/decisions': deliverableCommand('acceptance', () => people.owner2.client, {
    gate: 'acceptance',
    role: 'service_owner',
    decision: 'approve',
    comment: 'fine',
  }),
  'POST /v1/deliverables/{id}/go-live/schedule': deliverableCommand('approved', () => fx.smo, goLiveWindow()),
  'POST /v1/deliverables/{id}/go-live/confirm': deliverableCommand('scheduled', () => fx.smo, {}),
  'POST /v1/deliverables/{id}/rollback': deliverableCommand('scheduled', () => fx.smo, { reason: 'fuzz' }),
  'POST /v1/deliverables/{id}/incidents': deliverableCommand('early_life_support', () => fx.smo, {
    reference: 'INC-9',
    priority: 'P2',
    summary: 'fuzz',
  }),
  'POST /v1/deliverables/{id}/incidents/{reference}/resolve': deliverableCommand(
    'incident_open',
    () => fx.smo,
    {},
    { reference: 'INC-1' },
  ),
  'POST /v1/deliverables/{id}/actions': deliverableCommand('early_life_support', () => fx.smo, {
    title: 'Hand over known defect',
    dueAt: '2031-01-01T00:00:00Z',
  }),
  'POST /v1/deliverables/{id}/actions/{key}/assign': {
    ...deliverableCommand('action_open', () => fx.smo, {}, { key: 'A-1' }),
    body: () => ({ ownerId: people.owner1.id, dueAt: '2031-01-01T00:00:00Z' }),
  },
  'POST /v1/deliverables/{id}/actions/{key}/close': deliverableCommand(
    'action_open',
    () => fx.smo,
    { note: 'done' },
    { key: 'A-1' },
  ),
  'POST /v1/deliverables/{id}/lessons': deliverableCommand('els_review', () => fx.smo, {
    text: 'Book the load test earlier',
  }),
  'POST /v1/webhooks': {
    as: () => fx.smo,
    fixture: noParams,
    body: () => WEBHOOK_BODY,
    snapshot: () => listSnapshot('/v1/webhooks'),
  },
  'POST /v1/freeze-windows': {
    as: () => fx.smo,
    fixture: noParams,
    body: () => FREEZE_BODY,
    snapshot: () => listSnapshot(EVERY_FREEZE),
  },
  'DELETE /v1/freeze-windows/{id}': {
    as: () => fx.smo,
    fixture: async () => {
      const response = await fx.smo.post('/v1/freeze-windows', FREEZE_BODY);
      expect(response.status).toBe(201);
      return { params: { id: response.body.id } };
    },
    snapshot: () => listSnapshot(EVERY_FREEZE),
  },
  'DELETE /v1/webhooks/{id}': {
    as: () => fx.smo,
    fixture: async () => {
      const response = await fx.smo.post('/v1/webhooks', WEBHOOK_BODY);
      expect(response.status).toBe(201);
      return { params: { id: response.body.id } };
    },
    snapshot: async (fixture) => ({
      list: await listSnapshot('/v1/webhooks'),
      one: (await admin.get(`/v1/webhooks/${fixture.params.id}`)).status,
    }),
  },
};

const LISTS = [
  '/v1/principals',
  '/v1/services',
  '/v1/projects',
  '/v1/deliverables',
  '/v1/checklists',
  '/v1/webhooks',
  '/v1/webhooks/{id}/deliveries',
  `/v1/principals/${ADMIN_PRINCIPAL_ID}/delegations`,
  '/v1/lessons',
];

const IF_MATCH = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/;

/** encodeURIComponent, with lone surrogates (which it refuses) replaced by U+FFFD. */
const encodeSegment = (value: string): string =>
  encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

function pathFor(template: string, params: Record<string, string>, override?: [string, string]): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeSegment(override && override[0] === name ? override[1] : params[name]),
  );
}

/** One fuzzed request against `key`; returns whether it spent the fixture (a 2xx). */
async function fuzzOnce(key: string, target: Target, fixture: Fixture, input: Shape): Promise<boolean> {
  const [method, template] = key.split(' ');
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  const valid = target.body?.(fixture);
  const validText = valid === undefined ? undefined : JSON.stringify(valid);
  const json = { 'content-type': 'application/json' };
  let path = pathFor(template, fixture.params);
  let body: string | Uint8Array | undefined = validText;
  let headers: Record<string, string> = validText === undefined ? {} : json;
  switch (input.kind) {
    case 'json':
      [body, headers] = [input.piece, json];
      break;
    case 'mutated':
      [body, headers] = [mutate(valid ?? {}, input.change), json];
      break;
    case 'date': {
      // One date-time field of the valid body replaced; a body without one gets an unknown field.
      const fields = Object.entries((valid ?? {}) as Record<string, unknown>).filter(
        ([, value]) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value),
      );
      const field = fields.length > 0 ? fields[input.at % fields.length][0] : 'when';
      [body, headers] = [JSON.stringify({ ...(valid as object), [field]: input.value }), json];
      break;
    }
    case 'bytes':
      [body, headers] = [input.bytes, { 'content-type': input.mediaType ?? 'application/json' }];
      break;
    case 'mediaType':
      [body, headers] = [validText ?? '{}', { 'content-type': input.mediaType }];
      break;
    case 'pathParam':
      if (names.length > 0)
        path = pathFor(template, fixture.params, [names[input.param % names.length], input.value]);
      else path = `${template}/${encodeSegment(input.value)}`;
      break;
    case 'ifMatch':
      headers = { ...headers, 'if-match': input.value };
      break;
    case 'idempotencyKey':
      headers = { ...headers, 'idempotency-key': input.value };
      break;
  }
  const before = await target.snapshot(fixture);
  fuzzed++;
  const answer = await send(target.as().token, method, path, body, headers);
  const shown = path.length > 200 ? `${path.slice(0, 200)}... (${path.length} characters)` : path;
  const what = { request: `${method} ${shown}`, headers, body: describeBody(body) };
  expectSane(JSON.stringify(what), answer);
  if (answer.status >= 400) {
    // A refusal changes nothing.
    const after = await target.snapshot(fixture);
    expect({ what, status: answer.status, resource: after }).toEqual({
      what,
      status: answer.status,
      resource: before,
    });
  }
  if (input.kind === 'ifMatch' && target.deliverable) {
    const version = (before as { deliverable: { version: number } }).deliverable.version;
    const asked = IF_MATCH.exec(input.value.trim());
    const expected = asked === null ? 400 : Number(asked[1]) === version ? 'not 412' : 412;
    const status = answer.status;
    expect({ what, version, status }).toEqual({
      what,
      version,
      status: expected === 'not 412' ? (status === 412 ? 'not 412' : status) : expected,
    });
  }
  if (answer.status < 300) await target.accepted?.(fixture, answer, what);
  return answer.status < 300;
}

function describeBody(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body !== 'string') return `bytes ${Buffer.from(body).toString('hex').slice(0, 200)}`;
  return body.length > 300 ? `${body.slice(0, 300)}... (${body.length} characters)` : body;
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({
    env: {
      DATABASE_URL: scratch.url,
      BATON_QUEUE_PREFIX: unique('baton_fuzz'),
      BATON_RELAY_INTERVAL_MS: '100',
    },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const docs = await admin.get('/docs-json');
  served = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([at, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${at}`),
  );
  const made = await Promise.all(
    (
      [
        ['pmo', ['pmo']],
        ['pmo2', ['pmo']],
        ['smo', ['smo']],
        ['owner1', ['service_owner']],
        ['owner2', ['service_owner']],
        ['changeMgr', ['change_manager']],
        ['ops', ['operations']],
        ['dual', ['pmo', 'service_owner']],
        ['adminOwner', ['admin', 'change_manager']],
        ['auditor', ['auditor']],
        ['fxPmo', ['pmo']],
        ['fxSmo', ['smo']],
        ['fxOwner', ['service_owner']],
      ] as const
    ).map(async ([name, roles]) => {
      const principal = await createPrincipal(admin, unique(name), [...roles]);
      return { name, id: principal.id, roles: [...roles], client: principal.client };
    }),
  );
  for (const principal of made) people[principal.name] = principal;
  people.admin = { name: 'admin', id: ADMIN_PRINCIPAL_ID, roles: ['admin'], client: admin };
  fx = { pmo: people.fxPmo.client, smo: people.fxSmo.client, owner: people.fxOwner.client };

  const policy = await fx.smo.request('PUT', `/v1/policies/${SEQUENCE_TIER}`, SEQUENCE_POLICY);
  expect(policy.status).toBe(200);
  const review = await fx.smo.request('PUT', `/v1/policies/${REVIEW_TIER}`, REVIEW_POLICY);
  expect(review.status).toBe(200);
  const template = await fx.smo.post('/v1/checklists', {
    name: unique('fuzz'),
    changeTypes: ALL_CHANGE_TYPES,
    tiers: [FUZZ_TIER, SEQUENCE_TIER, REVIEW_TIER],
    criteria: FIXTURE_CRITERIA,
  });
  expect(template.status).toBe(201);
  const [project, fuzzService, sequenceService, reviewService] = await Promise.all([
    fx.pmo.post('/v1/projects', { key: unique('FUZZ'), name: 'Fuzz', methodology: 'agile' }),
    fx.smo.post('/v1/services', { name: unique('fuzz'), tier: FUZZ_TIER }),
    fx.smo.post('/v1/services', { name: unique('sequence'), tier: SEQUENCE_TIER }),
    fx.smo.post('/v1/services', { name: unique('review'), tier: REVIEW_TIER }),
  ]);
  refs.projectId = project.body.id;
  refs.fuzzServiceId = fuzzService.body.id;
  refs.sequenceServiceId = sequenceService.body.id;
  refs.reviewServiceId = reviewService.body.id;
});

afterAll(async () => {
  console.info(
    `fuzz: ${fuzzed} requests fuzzed, ${sequences} event sequences run (${sequenceCommands} commands); final statuses: ${JSON.stringify(outcomes)}`,
  );
  await baton?.stop();
  await scratch?.drop();
});

describe('fuzzing the write endpoints', () => {
  it('has a fuzz target for every write operation in /docs-json', () => {
    const writes = served.filter((operation) => !operation.startsWith('GET '));
    expect(writes.filter((operation) => !(operation in TARGETS)).sort()).toEqual([]);
  });

  it.each(Object.keys(TARGETS))(
    '%s: never a 5xx, a problem document for a 4xx, nothing changed by it',
    async (key) => {
      if (!served.includes(key)) {
        console.info(`${key} is not served yet: not fuzzed`);
        return;
      }
      const target = TARGETS[key];
      let fixture: Fixture | null = null;
      await fc.assert(
        fc.asyncProperty(shape, async (input) => {
          fixture ??= await target.fixture();
          // A 2xx spends the fixture (a command moved it on, a principal was revoked): the next run gets a fresh one.
          if (await fuzzOnce(key, target, fixture, input)) fixture = null;
        }),
        { numRuns: RUNS_PER_WRITE, examples: EDGE_CASES },
      );
    },
  );
});

describe('fuzzing the list endpoints', () => {
  const queryKey = fc.oneof(
    fc.constantFrom(
      'limit',
      'cursor',
      'status',
      'projectId',
      'serviceId',
      'awaitingRole',
      'name',
      'q',
      'limit[]',
      '__proto__',
      'constructor',
    ),
    fc.string({ maxLength: 10 }),
  );
  const queryValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer().map(String),
    fc.uuid(),
    fc.constantFrom(
      '0',
      '-1',
      '1',
      '500',
      '501',
      '1e3',
      '1.5',
      'NaN',
      '',
      'draft',
      'draft,readiness',
      'nope',
      ',',
      'x'.repeat(600),
      'x'.repeat(10_000),
      '%00',
      // Text searches: punctuation only, wildcards, tsquery and SQL syntax.
      '!?.,;:',
      '%_\\',
      "' OR 1=1 --",
      '!!! & | <-> :*',
      '"unclosed',
    ),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
  const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 });

  it.each(LISTS)(
    'GET %s with random query strings: never a 5xx, a page or a problem document',
    async (template) => {
      const webhook = await fx.smo.post('/v1/webhooks', WEBHOOK_BODY);
      const path = template.replace('{id}', webhook.body.id);
      await fc.assert(
        fc.asyncProperty(query, async (pairs) => {
          const search = pairs
            .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(value)}`)
            .join('&');
          fuzzed++;
          const answer = await send(admin.token, 'GET', `${path}?${search}`);
          expectSane(`GET ${path}?${search}`, answer);
          if (answer.status === 200) {
            expect({
              search,
              items: Array.isArray(answer.json.items),
              nextCursor: typeof answer.json.nextCursor,
            }).toEqual({
              search,
              items: true,
              nextCursor: answer.json.nextCursor === null ? 'object' : 'string',
            });
          }
        }),
        { numRuns: RUNS_PER_LIST },
      );
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// Random event sequences.

// Every command a caller can send: the domain's own list.
type Command = Action;

const POOL = [
  'pmo',
  'pmo2',
  'smo',
  'admin',
  'owner1',
  'owner2',
  'changeMgr',
  'ops',
  'dual',
  'adminOwner',
  'auditor',
];
const PMO_LIKE = ['pmo', 'pmo2', 'dual', 'admin'];
const SMO_LIKE = ['smo', 'admin', 'adminOwner'];
const EITHER_LIKE = ['pmo', 'smo', 'admin', 'dual'];
const ACCEPTORS: [string, string][] = [
  ['owner1', 'service_owner'],
  ['owner2', 'service_owner'],
  ['changeMgr', 'change_manager'],
  ['dual', 'service_owner'],
  ['adminOwner', 'change_manager'],
];
const ELS_EXITERS: [string, string][] = [
  ['owner1', 'service_owner'],
  ['owner2', 'service_owner'],
  ['ops', 'operations'],
  ['dual', 'service_owner'],
];

const step = fc.record({
  guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 6),
  command: fc.constantFrom(...ACTIONS),
  actor: fc.nat(),
  pick: fc.nat(),
  gate: fc.constantFrom<string>('acceptance', 'els_exit'),
  role: fc.constantFrom<string>('service_owner', 'change_manager', 'operations', 'pmo', 'admin', 'security'),
  decision: fc.oneof(
    { arbitrary: fc.constant('approve'), weight: 7 },
    { arbitrary: fc.constantFrom('request_changes', 'reject', 'reject_final'), weight: 3 },
  ),
  key: fc.constantFrom(MANUAL, AUTOMATED, ADVISORY, 'no-such-key'),
  passed: fc.boolean(),
  reference: fc.constantFrom('INC-1', 'INC-2', 'INC-3'),
  actionKey: fc.constantFrom('A-1', 'A-2', 'A-9'),
  priority: fc.constantFrom('P1', 'P2', 'P3', 'P4'),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

interface Planned {
  command: Command | 'wait';
  actor: string;
  method: 'POST' | 'PATCH';
  rest: string;
  body: unknown;
}

function plan(
  command: Command,
  actor: string,
  s: Step,
  gate = s.gate,
  role = s.role,
  decision = s.decision,
): Planned {
  const post = (rest: string, body: unknown): Planned => ({ command, actor, method: 'POST', rest, body });
  switch (command) {
    case 'edit':
      return { command, actor, method: 'PATCH', rest: '', body: { title: `edited ${s.pick % 100}` } };
    case 'submit':
    case 'resubmit':
      return post(`/${command}`, {});
    case 'attest':
      return post(`/readiness/${s.key}/attest`, { evidence: 'evidence' });
    case 'waive':
      return post(`/readiness/${s.key}/waive`, { reason: 'waived' });
    case 'result':
      return post(`/readiness/${s.key}/result`, { passed: s.passed, detail: 'posted' });
    case 'probe':
      return post(`/readiness/${s.key}/probe`, {});
    case 'decide':
      return post('/decisions', { gate, role, decision, comment: 'random' });
    case 'schedule':
      return post('/go-live/schedule', goLiveWindow());
    case 'confirm':
      return post('/go-live/confirm', {});
    case 'rollback':
      return post('/rollback', { reason: 'rolled back' });
    case 'record_incident':
      return post('/incidents', { reference: s.reference, priority: s.priority, summary: 'incident' });
    case 'resolve_incident':
      return post(`/incidents/${s.reference}/resolve`, {});
    case 'hold':
      return post('/hold', { reason: 'held' });
    case 'resume':
      return post('/resume', {});
    case 'cancel':
      return post('/cancel', { reason: 'cancelled' });
    case 'create_action':
      return post('/actions', {
        title: 'follow-on',
        ...(s.pick % 2 === 0 ? { ownerId: people[pickOf(POOL, s.pick)].id } : {}),
      });
    case 'assign_action':
      return post(`/actions/${s.actionKey}/assign`, { ownerId: people[pickOf(POOL, s.pick)].id });
    case 'close_action':
      return post(`/actions/${s.actionKey}/close`, { note: 'done' });
    case 'record_lesson':
      return post('/lessons', { text: 'a lesson' });
  }
}

const pickOf = <T>(items: readonly T[], n: number): T => items[n % items.length];

/** A step aimed at moving the deliverable on from `current`, with a randomly picked suitable principal. */
function guided(current: any, s: Step): Planned | null {
  const pending = (key: string) =>
    current.readiness.criteria.find((c: { key: string }) => c.key === key)?.status !== 'passed' &&
    current.readiness.criteria.find((c: { key: string }) => c.key === key)?.status !== 'waived';
  const pmoLike = pickOf(PMO_LIKE, s.pick);
  const smoLike = pickOf(SMO_LIKE, s.pick);
  switch (current.status) {
    case 'draft':
      return pending(MANUAL) ? plan('attest', pmoLike, { ...s, key: MANUAL }) : plan('submit', pmoLike, s);
    case 'readiness':
      if (pending(MANUAL)) return plan('attest', pmoLike, { ...s, key: MANUAL });
      return s.passed
        ? plan('result', smoLike, { ...s, key: AUTOMATED, passed: true })
        : plan('waive', smoLike, { ...s, key: AUTOMATED });
    case 'acceptance': {
      const [actor, role] = pickOf(ACCEPTORS, s.pick);
      return plan('decide', actor, s, 'acceptance', role);
    }
    case 'els_review': {
      const [actor, role] = pickOf(ELS_EXITERS, s.pick);
      return plan(
        'decide',
        actor,
        s,
        'els_exit',
        role,
        s.decision === 'reject_final' ? 'approve' : s.decision,
      );
    }
    case 'rework':
      return plan('resubmit', pmoLike, s);
    case 'approved':
      return plan('schedule', smoLike, s);
    case 'scheduled':
      return plan('confirm', smoLike, s);
    case 'early_life_support': {
      const open = current.incidents.find(
        (incident: { resolvedAt: string | null }) => incident.resolvedAt === null,
      );
      if (open) return plan('resolve_incident', smoLike, { ...s, reference: open.reference });
      // An open action nobody owns holds ELS (an exit criterion): name an owner.
      const unowned = current.actions.find(
        (action: { status: string; ownerId: string | null }) =>
          action.status === 'open' && action.ownerId === null,
      );
      if (unowned) return plan('assign_action', smoLike, { ...s, actionKey: unowned.key });
      return { command: 'wait', actor: '', method: 'POST', rest: '', body: null };
    }
    case 'on_hold':
      return plan('resume', pickOf(EITHER_LIKE, s.pick), s);
    default:
      return null;
  }
}

let sequences = 0;
let sequenceCommands = 0;
const outcomes: Record<string, number> = {};

interface Decision {
  gate: string;
  round: number;
  principalId: string;
  role: string;
  decision: string;
}

/**
 * The rules on decisions, read from the served approvals: no principal twice in one gate round; and each
 * decision taken since `known` (the count seen before), only with a role its principal holds and never by a
 * principal that had submitted the deliverable by then.
 */
function expectDecisionRules(current: any, known: number, submitters: Set<string>, context: unknown): void {
  const decisions = current.approvals as Decision[];
  const seenIn = new Map<string, string[]>();
  for (const decision of decisions) {
    const round = `${decision.gate}#${decision.round}`;
    seenIn.set(round, [...(seenIn.get(round) ?? []), decision.principalId]);
  }
  for (const [round, principals] of seenIn) {
    expect({ context, round, principals }).toEqual({ context, round, principals: [...new Set(principals)] });
  }
  const byWhom = (id: string) => Object.values(people).find((principal) => principal.id === id);
  const broken = decisions
    .slice(known)
    .filter(
      (decision) =>
        submitters.has(decision.principalId) || !byWhom(decision.principalId)?.roles.includes(decision.role),
    );
  expect({ context, broken }).toEqual({ context, broken: [] });
}

/** Entering approved (or operational) takes the quorum of distinct approvals in the current round. */
function expectQuorum(before: any, after: any, context: unknown): void {
  const gate =
    after.status === 'approved' ? 'acceptance' : after.status === 'operational' ? 'els_exit' : null;
  if (gate === null || before.status === after.status) return;
  const decisions = (after.approvals as Decision[]).filter((decision) => decision.gate === gate);
  const round =
    gate === 'acceptance' ? after.round : Math.max(...decisions.map((decision) => decision.round));
  const approvers = new Set(
    decisions
      .filter((decision) => decision.round === round && decision.decision === 'approve')
      .map((decision) => decision.principalId),
  );
  const quorum = gate === 'acceptance' ? SEQUENCE_POLICY.acceptance.quorum : SEQUENCE_POLICY.elsExit.quorum;
  expect({ context, gate, round, enough: approvers.size >= quorum }).toEqual({
    context,
    gate,
    round,
    enough: true,
  });
}

describe('random event sequences', () => {
  it('keep final states final (operational taking only follow-on actions and lessons), audit every transition and only those, and count approvals per round', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 25 }), async (steps) => {
        sequences++;
        const created = await people.pmo.client.post('/v1/deliverables', {
          projectId: refs.projectId,
          serviceId: refs.sequenceServiceId,
          title: unique('sequence'),
          changeType: 'new_service',
          targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        });
        expect(created.status).toBe(201);
        const id: string = created.body.id;
        let current = created.body;
        let finalVersion: number | null = null;
        const accepted: [string, string][] = [];
        const submitters = new Set<string>();
        const trail: string[] = [];
        let waits = 0;
        for (const s of steps) {
          const planned = (s.guided ? guided(current, s) : null) ?? plan(s.command, pickOf(POOL, s.actor), s);
          if (planned.command === 'wait') {
            if (waits++ < 3) await sleep(500);
            current = (await admin.get(`/v1/deliverables/${id}`)).body;
            continue;
          }
          const command = planned.command;
          const who = people[planned.actor];
          sequenceCommands++;
          const answer = await send(
            who.client.token,
            planned.method,
            `/v1/deliverables/${id}${planned.rest}`,
            JSON.stringify(planned.body),
            {
              'content-type': 'application/json',
            },
          );
          const context = {
            id,
            trail,
            step: `${command} by ${who.name} (${who.roles.join(',')}) ${JSON.stringify(planned.body)}`,
          };
          trail.push(
            `${current.status}: ${context.step} -> ${answer.status} ${answer.json?.code ?? answer.json?.status ?? ''}`,
          );
          expectSane(JSON.stringify(context), answer);
          expect({ context, status: answer.status }).toEqual({
            context,
            status: [200, 201, 400, 403, 404, 409].includes(answer.status)
              ? answer.status
              : '200, 201, 400, 403, 404 or 409',
          });
          // A created follow-on action answers 201.
          const took = answer.status === 200 || answer.status === 201;
          if (took) accepted.push([who.id, command]);
          const after = (await admin.get(`/v1/deliverables/${id}`)).body;
          if (finalVersion !== null && took) {
            // Final: only what the status still takes changes it, and never its status.
            expect({ context, command, state: after.status, version: after.version }).toEqual({
              context,
              command: STILL_TAKEN[current.status].includes(command) ? command : 'a command it still takes',
              state: current.status,
              version: finalVersion + 1,
            });
            finalVersion = after.version;
          } else if (finalVersion !== null) {
            // Else refused as not allowed now (403 first where the role is missing), or, for what it still
            // takes, by that command's own rules.
            const roleless = roleRefusal(command, { principalId: who.id, roles: who.roles }) !== null;
            const still = STILL_TAKEN[current.status].includes(command);
            expect({
              context,
              status: still || (roleless && answer.status === 403) ? 'refused' : answer.status,
              version: after.version,
              state: after.status,
            }).toEqual({
              context,
              status: still || (roleless && answer.status === 403) ? 'refused' : 409,
              version: finalVersion,
              state: current.status,
            });
          }
          expectDecisionRules(after, current.approvals.length, submitters, context);
          expectQuorum(current, after, context);
          if (answer.status === 200 && (command === 'submit' || command === 'resubmit'))
            submitters.add(who.id);
          if (FINAL.has(after.status))
            expect({
              context,
              actions: after.allowedActions.filter((a: string) => !STILL_TAKEN[after.status].includes(a)),
            }).toEqual({ context, actions: [] });
          current = after;
          if (finalVersion === null && FINAL.has(current.status)) finalVersion = current.version;
        }

        const history = (await admin.get(`/v1/deliverables/${id}/history`)).body.items as any[];
        const system = history.filter((event) => event.principalId === null);
        const byPrincipals = history.slice(1).filter((event) => event.principalId !== null);
        const context = { id, trail };
        expect({ context, broken: verifyChain(history) }).toEqual({ context, broken: null });
        expect({ context, first: history[0] }).toMatchObject({
          context,
          first: { seq: 1, action: 'create', principalId: people.pmo.id, prevHash: null },
        });
        // One audit event per accepted command, in order, by whom it was sent; the rest are the system's.
        expect({ context, events: byPrincipals.map((event) => [event.principalId, event.action]) }).toEqual({
          context,
          events: accepted,
        });
        expect({ context, events: history.length }).toEqual({
          context,
          events: 1 + accepted.length + system.length,
        });
        const last = (await admin.get(`/v1/deliverables/${id}`)).body;
        expect({ context, version: last.version }).toEqual({ context, version: history.length });
        const verified = (await admin.get(`/v1/deliverables/${id}/history/verify`)).body;
        expect({ context, valid: verified.valid, events: verified.events }).toEqual({
          context,
          valid: true,
          events: history.length,
        });
        expectDecisionRules(last, last.approvals.length, submitters, context);
        outcomes[last.status] = (outcomes[last.status] ?? 0) + 1;
      }),
      // No shrinking: each try is a whole sequence over HTTP, and the failure names its trail of steps anyway.
      { numRuns: SEQUENCE_RUNS, endOnFailure: true },
    );
  });
});
