// The governance every console test plays under, set once by the global setup through the API. Policies are
// per service tier and global, so each tier has one use and the tests never change them:
//
// - tier 4: the default policy (one service_owner accepts), for journeys that need one approver;
// - tier 3: the default policy (service_owner and change_manager, quorum 2), for quorum and live decisions;
// - tier 2: early life support measured in seconds (ELS_SECONDS), one service_owner at each gate;
// - tier 1: the 2,000 deliverables of the scale test, decided by a role no other test holds.
//
// Journeys on tiers 2 to 4 get a short checklist of manual criteria (two mandatory, one optional), so a
// person attests them in a few clicks; tier 1 gets one optional criterion, so a submission goes straight to
// the acceptance gate.
import { type Api } from './api.js';

export const ELS_SECONDS = 8;
/** Retirements on tier 3 get a checklist whose attestation lapses this soon (the expiry journey). */
export const EXPIRING_SECONDS = 6;
export const SCALE_ROLE = 'bulk_approver';

export const JOURNEY_CRITERIA = [
  { key: 'runbooks', title: 'Runbooks published', practice: 'knowledge management', mandatory: true },
  {
    key: 'service-desk',
    title: 'Service desk briefed',
    practice: 'service desk',
    mandatory: true,
    // A briefing goes stale: the page shows when it expires.
    validFor: 'P30D',
  },
  {
    key: 'training',
    title: 'Users trained',
    practice: 'organizational change management',
    mandatory: false,
  },
] as const;

const CHANGE_TYPES = ['new_service', 'major_change', 'minor_change', 'retirement'];

async function changePolicy(admin: Api, tier: number, changes: Record<string, unknown>): Promise<void> {
  const {
    tier: _tier,
    source: _source,
    updatedAt: _updatedAt,
    ...current
  } = await admin.get(`/v1/policies/${tier}`);
  await admin.ok('PUT', `/v1/policies/${tier}`, { ...current, ...changes });
}

export async function setUpScene(admin: Api): Promise<void> {
  const gate = (roles: string[]) => ({ roles, quorum: 1, decisionSla: 'PT1H' });
  await changePolicy(admin, 2, {
    acceptance: gate(['service_owner']),
    elsExit: gate(['service_owner']),
    elsDuration: `PT${ELS_SECONDS}S`,
    elsFollowUpEvery: 'PT1H',
    elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
    readinessReminders: [],
  });
  await changePolicy(admin, 1, {
    acceptance: { roles: [SCALE_ROLE], quorum: 1, decisionSla: 'P5D' },
    elsExit: { roles: [SCALE_ROLE], quorum: 1, decisionSla: 'P5D' },
    readinessReminders: [],
  });
  await admin.post('/v1/checklists', {
    name: 'console journeys',
    changeTypes: CHANGE_TYPES,
    tiers: [2, 3, 4],
    criteria: JOURNEY_CRITERIA.map((criterion) => ({ ...criterion, kind: 'manual' })),
  });
  // After the journeys' checklist, so it is the one retirements on tier 3 get.
  await admin.post('/v1/checklists', {
    name: 'console expiring',
    changeTypes: ['retirement'],
    tiers: [3],
    criteria: [
      {
        key: 'backup-restored',
        title: 'Backup restore rehearsed',
        practice: 'service continuity management',
        mandatory: true,
        kind: 'manual',
        validFor: `PT${EXPIRING_SECONDS}S`,
      },
    ],
  });
  await admin.post('/v1/checklists', {
    name: 'console scale',
    changeTypes: CHANGE_TYPES,
    tiers: [1],
    criteria: [
      {
        key: 'notes',
        title: 'Release notes written',
        practice: 'release management',
        mandatory: false,
        kind: 'manual',
      },
    ],
  });
}
