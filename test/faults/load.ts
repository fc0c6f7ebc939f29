// A steady load of reads and commands against the api, every answer recorded (status, Retry-After, time),
// for the outage tests. Each client owns a draft deliverable: it reads it, lists, edits it, holds and
// resumes it, and now and then creates another.
import { setTimeout as sleep } from 'node:timers/promises';
import { unique } from '../support/fixtures.js';
import { type ApiClient } from '../support/http-client.js';
import { ok, type Sample, type Scene, timed } from './fault-kit.js';

export interface Load {
  samples: Sample[];
  /** Deliverables the load created (besides the clients' own). */
  created: string[];
  owned: string[];
  stop(): Promise<void>;
}

const MUTATIONS = new Set(['edit', 'hold', 'resume', 'create']);
export const isCommand = (sample: Sample): boolean => MUTATIONS.has(sample.label);

export async function startLoad(scene: Scene, clients: number, pauseMs: number): Promise<Load> {
  const samples: Sample[] = [];
  const created: string[] = [];
  const owned = await Promise.all(
    Array.from({ length: clients }, async () => {
      const body = await ok(createBody(scene), 'create');
      return body.id as string;
    }),
  );
  let running = true;
  const loops = owned.map(async (id, index) => {
    const client: ApiClient = index % 2 === 0 ? scene.pmo : scene.smo;
    let status = 'draft';
    for (let step = index; running; step++) {
      const path = `/v1/deliverables/${id}`;
      let sample: Sample;
      switch (step % 6) {
        case 0:
          sample = await timed(client, 'get', 'GET', path);
          break;
        case 1:
          sample = await timed(client, 'list', 'GET', '/v1/deliverables?limit=5');
          break;
        case 2:
          sample = await timed(scene.pmo, 'edit', 'PATCH', path, { title: unique('edited') });
          break;
        case 3:
        case 4:
          sample =
            status === 'on_hold'
              ? await timed(client, 'resume', 'POST', `${path}/resume`, {})
              : await timed(client, 'hold', 'POST', `${path}/hold`, { reason: 'load' });
          break;
        default:
          sample = await timed(scene.pmo, 'create', 'POST', '/v1/deliverables', createPayload(scene));
          if (sample.status === 201) created.push(sample.body.id);
      }
      samples.push(sample);
      // Follow the deliverable's status from what the api said; a 409 means our view was stale.
      if (sample.status === 200 && sample.body?.id === id && typeof sample.body.status === 'string')
        status = sample.body.status;
      if (sample.status === 409 && typeof sample.body?.state === 'string') status = sample.body.state;
      await sleep(pauseMs);
    }
  });
  return {
    samples,
    created,
    owned,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

function createPayload(scene: Scene) {
  return {
    projectId: scene.projectId,
    serviceId: scene.readinessService,
    title: unique('load'),
    changeType: 'minor_change',
    targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
}

function createBody(scene: Scene) {
  return scene.pmo.post('/v1/deliverables', createPayload(scene));
}

/** Polls GET /health every `everyMs` and keeps each answer. */
export function pollHealth(client: ApiClient, everyMs: number): { samples: Sample[]; stop(): Promise<void> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push(await timed(client, 'health', 'GET', '/health'));
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
