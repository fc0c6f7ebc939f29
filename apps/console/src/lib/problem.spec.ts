import { describe, expect, it } from '@jest/globals';
import { ApiError, explain, freezeConflictsOf } from './problem';

const problem = (status: number, code: string, extra = {}) =>
  new ApiError(status, {
    type: `https://baton.dev/problems/${code}`,
    title: 'Refused',
    status,
    detail: 'the server says why',
    code,
    ...extra,
  });

describe('refusals in plain words', () => {
  it('explains separation of duties and a second decision', () => {
    expect(explain(problem(403, 'HANDOVER.SEPARATION_OF_DUTIES')).summary).toMatch(
      /you submitted this deliverable/i,
    );
    expect(explain(problem(409, 'HANDOVER.ALREADY_DECIDED')).summary).toMatch(/already decided/);
  });

  it('explains a state that moved on (quorum reached meanwhile) and names the state', () => {
    const { summary, detail } = explain(problem(409, 'HANDOVER.ACTION_NOT_ALLOWED', { state: 'approved' }));
    expect(summary).toMatch(/quorum was reached/);
    expect(summary).toMatch(/“approved”/);
    expect(detail).toBe('the server says why');
  });

  it('knows a version mismatch as changed meanwhile', () => {
    const error = problem(412, 'DELIVERABLE.VERSION_MISMATCH');
    expect(error.changedMeanwhile).toBe(true);
    expect(problem(403, 'AUTH.FORBIDDEN').changedMeanwhile).toBe(false);
  });

  it('gives the field errors by path', () => {
    const error = problem(400, 'REQUEST.INVALID', {
      errors: [
        { path: 'title', message: 'must not be empty' },
        { path: 'targetGoLive', message: 'must be an ISO 8601 date-time' },
      ],
    });
    expect(error.fieldErrors).toEqual({
      title: 'must not be empty',
      targetGoLive: 'must be an ISO 8601 date-time',
    });
    expect(explain(error).summary).toBe('Some fields need attention.');
  });

  it('says when Baton could not be reached at all', () => {
    expect(explain(new TypeError('Failed to fetch'))).toEqual({
      summary: 'Baton could not be reached.',
      detail: 'Failed to fetch',
    });
  });
});

describe('freeze conflicts', () => {
  it('reads the conflicts of a freeze refusal, checked field by field', () => {
    const error = problem(409, 'HANDOVER.FREEZE_WINDOW', {
      conflicts: [
        {
          freezeWindowId: 'f1',
          name: 'Year-end freeze',
          start: '2026-12-20T00:00:00Z',
          end: '2027-01-02T00:00:00Z',
        },
        { name: 42 },
      ],
    });
    expect(freezeConflictsOf(error)).toEqual([
      { name: 'Year-end freeze', start: '2026-12-20T00:00:00Z', end: '2027-01-02T00:00:00Z' },
    ]);
    expect(explain(error).summary).toMatch(/change freeze/);
    expect(freezeConflictsOf(problem(409, 'HANDOVER.ALREADY_DECIDED'))).toBeNull();
  });
});
