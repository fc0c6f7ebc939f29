import { expect } from '@jest/globals';
import { createDeliverable, createProject, createService, type Actors } from './fixtures.js';
import { type Receiver, validSignature } from './receiver.js';

const SECRET = 'reminders-secret-0123456789';

/** Tier 3's policy reminds 6 s and 3 s before go-live; a webhook takes the reminders to `receiverBase`. */
export async function subscribeToReminders(actors: Actors, receiverBase: string): Promise<void> {
  const policy = (await actors.smo.get('/v1/policies/3')).body;
  const { tier: _tier, source: _source, updatedAt: _updatedAt, ...rest } = policy;
  expect(
    (await actors.smo.request('PUT', '/v1/policies/3', { ...rest, readinessReminders: ['PT6S', 'PT3S'] }))
      .status,
  ).toBe(200);
  expect(
    (
      await actors.smo.post('/v1/webhooks', {
        url: `${receiverBase}/hook`,
        events: ['reminder.readiness'],
        secret: SECRET,
      })
    ).status,
  ).toBe(201);
}

/**
 * Timers live in PostgreSQL: after `forgetEverything` (FLUSHDB, FLUSHALL on every master of a cluster)
 * both reminders of a deliverable going live 9 s from now still arrive, each once, signed, when due.
 */
export async function remindersSurviveRedisLoss(
  actors: Actors,
  receiver: Receiver,
  what: string,
  forgetEverything: () => Promise<void>,
): Promise<void> {
  const deliverable = await createDeliverable(
    actors.pmo,
    { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 3) },
    { targetGoLive: new Date(Date.now() + 9000).toISOString() },
  );
  const submitted = Date.now();
  expect((await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`)).status).toBe(200);
  const scheduled = (await actors.pmo.get(`/v1/deliverables/${deliverable.id}/reminders`)).body.items.filter(
    (timer: any) => timer.kind === 'readiness',
  );
  expect(scheduled.map((timer: any) => [timer.before, timer.status])).toEqual([
    ['PT6S', 'scheduled'],
    ['PT3S', 'scheduled'],
  ]);

  // Redis forgets every job, the delayed reminder jobs with them.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await forgetEverything();

  const received = await receiver.waitFor((all) => all.length >= 2, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(receiver.received).toHaveLength(2);
  expect(received.every((item) => validSignature(SECRET, item))).toBe(true);
  expect(received.map((item) => item.json.data.before)).toEqual(['PT6S', 'PT3S']);
  // Each came when due (3 s and 6 s after submit), give or take the reconciliation interval.
  const lateness = received.map((item, index) => item.at - submitted - (index + 1) * 3000);
  expect(Math.min(...lateness)).toBeGreaterThan(-200);
  const after = (await actors.pmo.get(`/v1/deliverables/${deliverable.id}/reminders`)).body.items;
  expect(after.filter((timer: any) => timer.kind === 'readiness').map((timer: any) => timer.status)).toEqual([
    'sent',
    'sent',
  ]);
  console.info(`reminder lateness after ${what}: ${lateness.join(' ms, ')} ms`);
}
