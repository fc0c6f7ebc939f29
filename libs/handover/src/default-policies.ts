import type { ServiceTier } from './handover.types.js';
import type { Policy } from './policy.js';

/**
 * The policies a fresh installation starts with, one per service tier: tier 1 (most critical) needs the
 * most approvers and the longest early life support; tier 4 one approver and a short ELS.
 */
export const DEFAULT_POLICIES: Readonly<Record<ServiceTier, Policy>> = {
  1: {
    acceptance: { roles: ['service_owner', 'change_manager', 'operations'], quorum: 3, decisionSla: 'P2D' },
    elsExit: { roles: ['service_owner', 'change_manager', 'operations'], quorum: 3, decisionSla: 'P2D' },
    elsDuration: 'P30D',
    elsFollowUpEvery: 'P3D',
    elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
    readinessReminders: ['P14D', 'P7D', 'P3D', 'P1D'],
    freezeOverrideRoles: ['change_manager'],
    elsExitRequiresActionOwners: true,
  },
  2: {
    acceptance: { roles: ['service_owner', 'change_manager', 'operations'], quorum: 2, decisionSla: 'P3D' },
    elsExit: { roles: ['service_owner', 'operations'], quorum: 2, decisionSla: 'P3D' },
    elsDuration: 'P14D',
    elsFollowUpEvery: 'P3D',
    elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
    readinessReminders: ['P14D', 'P7D', 'P1D'],
    freezeOverrideRoles: ['change_manager'],
    elsExitRequiresActionOwners: true,
  },
  3: {
    acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla: 'P4D' },
    elsExit: { roles: ['service_owner', 'operations'], quorum: 1, decisionSla: 'P4D' },
    elsDuration: 'P7D',
    elsFollowUpEvery: 'P2D',
    elsExitMaxOpenIncidents: { P1: 0, P2: 1 },
    readinessReminders: ['P7D', 'P1D'],
    freezeOverrideRoles: ['change_manager'],
    elsExitRequiresActionOwners: true,
  },
  4: {
    acceptance: { roles: ['service_owner'], quorum: 1, decisionSla: 'P5D' },
    elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'P5D' },
    elsDuration: 'P3D',
    elsFollowUpEvery: 'P1D',
    elsExitMaxOpenIncidents: { P1: 0, P2: 1 },
    readinessReminders: ['P7D', 'P1D'],
    freezeOverrideRoles: ['change_manager'],
    elsExitRequiresActionOwners: true,
  },
};
