import { describe, expect, it } from '@jest/globals';
import { practiceCoverage } from './practice-coverage.js';

describe('practiceCoverage', () => {
  it('counts criteria by practice in the catalogue order, by key or by stored name, unclassified last', () => {
    const coverage = practiceCoverage([
      { practice: 'service_desk', status: 'passed' },
      { practice: 'Knowledge Management', status: 'waived' },
      { practice: 'knowledge_management', status: 'pending' },
      { practice: 'release management, service level management', status: 'passed' },
      { practice: 'workforce', status: 'failed' },
      { practice: 'service desk', status: 'pending' },
    ]);
    expect(coverage).toEqual([
      { key: 'knowledge_management', name: 'Knowledge management', total: 2, passed: 0, waived: 1 },
      { key: 'service_desk', name: 'Service desk', total: 2, passed: 1, waived: 0 },
      {
        key: 'unclassified',
        name: 'Unclassified',
        total: 2,
        passed: 1,
        waived: 0,
        named: ['release management, service level management', 'workforce'],
      },
    ]);
  });

  it('is empty for no criteria', () => {
    expect(practiceCoverage([])).toEqual([]);
  });
});
