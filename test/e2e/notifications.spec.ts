import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createProject, createService } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { Mailbox } from '../support/mailbox.js';
import { Receiver, validSignature } from '../support/receiver.js';
import { scratchDatabase } from '../support/scratch-database.js';

const SECRET = 'notifications-secret-0123';

/** Reminders, SLA escalation and e-mail, with a policy in seconds. */
describe('notifications', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  const receiver = new Receiver();
  const mailbox = new Mailbox();
  let admin: ApiClient;

  beforeAll(async () => {
    const hooks = await receiver.start();
    const smtp = await mailbox.start();
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: { DATABASE_URL: scratch.url, BATON_SMTP_URL: smtp, BATON_OUTBOUND_DENY: '169.254.0.0/16' },
    });
    admin = new ApiClient(baton.url, baton.adminToken);
    expect(
      (await admin.post('/v1/webhooks', { url: `${hooks}/all`, events: ['*'], secret: SECRET })).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
    await receiver.stop();
    await mailbox.stop();
  });

  const principal = async (name: string, roles: string[], email: string) => {
    const response = await admin.post('/v1/principals', { name, roles, email });
    expect(response.status).toBe(201);
    return admin.as(response.body.token);
  };

  it('reminds the approvers, escalates to the SMO, e-mails who is concerned, moves reminders with the go-live, and approval cancels what is left', async () => {
    const policy = {
      acceptance: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1S' },
      elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
      elsDuration: 'P1D',
      elsFollowUpEvery: 'P1D',
      elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
      readinessReminders: ['PT50S', 'PT40S'],
    };
    expect((await admin.request('PUT', '/v1/policies/4', policy)).status).toBe(200);
    expect(
      (
        await admin.post('/v1/checklists', {
          name: 'one step',
          changeTypes: ['minor_change'],
          tiers: [4],
          criteria: [
            {
              key: 'runbook',
              title: 'Runbook',
              practice: 'knowledge management',
              mandatory: true,
              kind: 'manual',
            },
          ],
        })
      ).status,
    ).toBe(201);
    const pmo = await principal('Pat', ['pmo'], 'pat@example.test');
    const smo = await principal('Sam', ['smo'], 'sam@example.test');
    const owner = await principal('Olive', ['service_owner'], 'olive@example.test');
    const deliverable = (
      await pmo.post('/v1/deliverables', {
        projectId: await createProject(pmo),
        serviceId: await createService(smo, 4),
        title: 'Billing export',
        changeType: 'minor_change',
        targetGoLive: new Date(Date.now() + 60_000).toISOString(),
      })
    ).body;
    const path = `/v1/deliverables/${deliverable.id}`;
    expect((await pmo.post(`${path}/submit`)).body.status).toBe('readiness');
    expect(
      (await pmo.post(`${path}/readiness/runbook/attest`, { evidence: 'https://wiki/runbook' })).body.status,
    ).toBe('acceptance');

    // SLA 1 s: the approvers still missing are reminded; at 2 s the SMO gets the escalation.
    const events = await receiver.waitFor((all) =>
      all.some((item) => item.json?.type === 'reminder.decision_escalation'),
    );
    const overdue = events.find((item) => item.json.type === 'reminder.decision_overdue')!;
    const escalation = events.find((item) => item.json.type === 'reminder.decision_escalation')!;
    expect(overdue.json).toMatchObject({
      deliverableId: deliverable.id,
      data: { awaitingRoles: ['service_owner'] },
    });
    expect(escalation.json).toMatchObject({ data: { escalateTo: 'smo', awaitingRoles: ['service_owner'] } });
    expect(validSignature(SECRET, overdue) && validSignature(SECRET, escalation)).toBe(true);

    const mails = await mailbox.waitFor(
      (all) =>
        all.some((mail) => mail.subject.includes('Escalation')) &&
        all.some((mail) => mail.subject.includes('overdue')),
    );
    expect(mails.find((mail) => mail.subject.includes('Escalation'))!.to).toEqual(['sam@example.test']);
    expect(mails.find((mail) => mail.subject.includes('overdue'))!.to).toEqual(['olive@example.test']);
    expect(
      mails.some(
        (mail) => mail.to.includes('pat@example.test') && mail.subject.includes('draft -> readiness'),
      ),
    ).toBe(true);

    // The go-live slips by a minute: the pending readiness reminders move with it.
    const before = (await pmo.get(`${path}/reminders`)).body.items.filter(
      (timer: any) => timer.kind === 'readiness',
    );
    expect(before.map((timer: any) => timer.status)).toEqual(['scheduled', 'scheduled']);
    const moved = await pmo.patch(path, { targetGoLive: new Date(Date.now() + 120_000).toISOString() });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('acceptance');
    expect((await pmo.patch(path, { title: 'Not while under review' })).status).toBe(409);
    const shifted = (await pmo.get(`${path}/reminders`)).body.items.filter(
      (timer: any) => timer.kind === 'readiness',
    );
    expect(
      shifted
        .filter((timer: any) => timer.status === 'cancelled')
        .map((timer: any) => timer.id)
        .sort(),
    ).toEqual(before.map((timer: any) => timer.id).sort());
    const rescheduled = shifted.filter((timer: any) => timer.status === 'scheduled');
    expect(rescheduled.map((timer: any) => timer.before).sort()).toEqual(['PT40S', 'PT50S']);
    for (const timer of rescheduled) {
      const old = before.find((item: any) => item.before === timer.before);
      expect(Date.parse(timer.dueAt) - Date.parse(old.dueAt)).toBeGreaterThan(55_000);
    }

    // Approval: the readiness reminders still pending are cancelled.
    expect(
      (
        await owner.post(`${path}/decisions`, {
          gate: 'acceptance',
          role: 'service_owner',
          decision: 'approve',
        })
      ).body.status,
    ).toBe('approved');
    const after = (await pmo.get(`${path}/reminders`)).body.items;
    expect(
      after.filter((timer: any) => timer.kind === 'readiness').map((timer: any) => timer.status),
    ).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(
      after.filter((timer: any) => timer.kind.startsWith('decision_')).map((timer: any) => timer.status),
    ).toEqual(['sent', 'sent']);
  });
});
