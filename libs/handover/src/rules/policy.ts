import { HandoverErrorCode } from '../handover.errors.js';
import { policyProblems } from '../policy.js';
import type { Refusal } from './refusal.js';

/** A submission opens a round under its service tier's policy, which must be able to govern it. */
export function policyValid(policy: unknown): Refusal | null {
  const problems = policyProblems(policy);
  return problems.length === 0
    ? null
    : {
        code: HandoverErrorCode.InvalidPolicy,
        message: `Invalid policy: ${problems.join('; ')}`,
        details: { problems },
      };
}
