import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import {
  CRITERION_BLOCKS,
  CRITERION_KINDS,
  isOneOf,
  type CriterionBlocks,
  type CriterionKind,
} from './handover.types.js';
import { parseIsoDuration } from './iso-duration.js';
import { isPlainObject } from './json.types.js';

/** One readiness criterion as a checklist template defines it. */
export interface CriterionSpec {
  key: string;
  title: string;
  /** The ITIL 4 practice it belongs to. */
  practice: string;
  /** Mandatory criteria must be passed or waived before the acceptance decision; advisory ones need not. */
  mandatory: boolean;
  /** Manual: a person attests with evidence. Automated: a probe or an integration posts a result. */
  kind: CriterionKind;
  /** For automated criteria the worker probes (2xx passes); without it an integration posts the result. */
  probeUrl?: string;
  /** The milestone it is meant to be met by; informative: the readiness gate reads `mandatory`. */
  blocks?: CriterionBlocks;
  /**
   * How long a pass stays good (ISO 8601 duration, at least PT1S): an attestation or a passing result expires
   * that long after it was given, unless the go-live was confirmed first.
   */
  validFor?: string;
}

/** The shortest `validFor`: an attestation that expires within the second it is given attests nothing. */
export const MIN_VALID_FOR_MS = 1000;
/** The longest `validFor` (ten years): beyond it a timer is not a sensible way to say "never". */
export const MAX_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * A criterion's template fields, copied field by field from a spec or anything that carries one (its state
 * in the context, say): JSON-plain, with the optional fields left out when absent rather than undefined.
 */
export function specOf(criterion: CriterionSpec): CriterionSpec {
  const spec: CriterionSpec = {
    key: criterion.key,
    title: criterion.title,
    practice: criterion.practice,
    mandatory: criterion.mandatory,
    kind: criterion.kind,
  };
  if (criterion.probeUrl !== undefined) spec.probeUrl = criterion.probeUrl;
  if (criterion.blocks !== undefined) spec.blocks = criterion.blocks;
  if (criterion.validFor !== undefined) spec.validFor = criterion.validFor;
  return spec;
}

// API.md: key fields are 1 to 64 of [A-Za-z0-9._-].
export const CRITERION_KEY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function criteriaProblems(criteria: unknown): string[] {
  if (!Array.isArray(criteria)) {
    return ['criteria must be a list'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  criteria.forEach((criterion: unknown, index) => {
    if (!isPlainObject(criterion)) {
      problems.push(`criteria[${index}] must be an object`);
      return;
    }
    const { key, title, practice, mandatory, kind, probeUrl, blocks, validFor } = criterion;
    if (typeof key !== 'string' || !CRITERION_KEY_PATTERN.test(key)) {
      problems.push(`criteria[${index}].key must be 1 to 64 of [A-Za-z0-9._-]`);
    } else if (seen.has(key)) {
      problems.push(`criteria[${index}].key "${key}" is repeated`);
    } else {
      seen.add(key);
    }
    if (typeof title !== 'string' || title.length === 0)
      problems.push(`criteria[${index}].title is required`);
    if (typeof practice !== 'string') problems.push(`criteria[${index}].practice is required`);
    if (typeof mandatory !== 'boolean') problems.push(`criteria[${index}].mandatory must be true or false`);
    if (!isOneOf(CRITERION_KINDS, kind)) problems.push(`criteria[${index}].kind must be manual or automated`);
    if (probeUrl !== undefined && (typeof probeUrl !== 'string' || kind !== 'automated')) {
      problems.push(`criteria[${index}].probeUrl is a URL and only for automated criteria`);
    }
    if (blocks !== undefined && !isOneOf(CRITERION_BLOCKS, blocks)) {
      problems.push(`criteria[${index}].blocks must be one of ${CRITERION_BLOCKS.join(', ')}`);
    }
    if (validFor !== undefined && !validForInRange(validFor)) {
      problems.push(`criteria[${index}].validFor must be an ISO 8601 duration from PT1S to P10Y`);
    }
  });
  return problems;
}

/** A `validFor` in milliseconds; NaN when it is not an ISO 8601 duration. */
export function validForMs(validFor: unknown): number {
  if (typeof validFor !== 'string') return Number.NaN;
  try {
    return parseIsoDuration(validFor);
  } catch {
    return Number.NaN;
  }
}

/** Whether `validFor` is a duration Baton can keep: at least a second, at most ten years. */
export function validForInRange(validFor: unknown): boolean {
  const ms = validForMs(validFor);
  return ms >= MIN_VALID_FOR_MS && ms <= MAX_VALID_FOR_MS;
}

export function assertValidCriteria(criteria: unknown): asserts criteria is CriterionSpec[] {
  const problems = criteriaProblems(criteria);
  if (problems.length > 0) {
    throw new HandoverError(HandoverErrorCode.InvalidChecklist, `Invalid checklist: ${problems.join('; ')}`, {
      problems,
    });
  }
}
