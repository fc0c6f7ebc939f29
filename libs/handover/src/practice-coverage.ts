import type { CriterionStatus } from './handover.types.js';
import { findPractice, PRACTICES } from './practices.data.js';

/** The key under which criteria naming no catalogued practice are counted (templates stored before the catalogue). */
export const UNCLASSIFIED = 'unclassified';

/** How far a deliverable's readiness criteria of one practice have got. */
export interface PracticeCoverage {
  /** A practice's key, or `unclassified`. */
  key: string;
  name: string;
  total: number;
  passed: number;
  waived: number;
  /** The keys of those criteria, in the checklist's order. */
  criteria: string[];
  /** For `unclassified`: the practices the criteria name, as stored. */
  named?: string[];
}

/**
 * The coverage of a deliverable's criteria by ITIL 4 practice, in the catalogue's order, unclassified last.
 * A criterion stored with a practice's name rather than its key (a template posted before the catalogue)
 * counts for that practice; one naming no practice in the catalogue counts as unclassified.
 */
export function practiceCoverage(
  criteria: readonly { key: string; practice: string; status: CriterionStatus }[],
): PracticeCoverage[] {
  const counts = new Map<string, PracticeCoverage>();
  const unclassified = new Set<string>();
  for (const criterion of criteria) {
    const practice = findPractice(criterion.practice);
    const key = practice?.key ?? UNCLASSIFIED;
    if (practice === undefined) unclassified.add(criterion.practice);
    const entry = counts.get(key) ?? {
      key,
      name: practice?.name ?? 'Unclassified',
      total: 0,
      passed: 0,
      waived: 0,
      criteria: [],
    };
    entry.total += 1;
    entry.criteria.push(criterion.key);
    if (criterion.status === 'passed') entry.passed += 1;
    if (criterion.status === 'waived') entry.waived += 1;
    counts.set(key, entry);
  }
  const ordered = PRACTICES.flatMap((practice) => counts.get(practice.key) ?? []);
  const rest = counts.get(UNCLASSIFIED);
  return rest === undefined ? ordered : [...ordered, { ...rest, named: [...unclassified].sort() }];
}
