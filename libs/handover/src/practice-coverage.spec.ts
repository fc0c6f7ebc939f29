import { describe, expect, it } from '@jest/globals';
import { practiceCoverage } from './practice-coverage.js';

describe('practiceCoverage', () => {
  it('counts criteria by practice in the catalogue order, by key or by stored name, unclassified last', () => {
    const coverage = practiceCoverage([
      { key: 'a', practice: 'service_desk', status: 'passed' },
      { key: 'b', practice: 'Knowledge Management', status: 'waived' },
      { key: 'c', practice: 'knowledge_management', status: 'pending' },
      { key: 'd', practice: 'release management, service level management', status: 'passed' },
      { key: 'e', practice: 'workforce', status: 'failed' },
      { key: 'f', practice: 'service desk', status: 'pending' },
    ]);
    expect(coverage).toEqual([
      {
        key: 'knowledge_management',
        name: 'Knowledge management',
        total: 2,
        passed: 0,
        waived: 1,
        criteria: ['b', 'c'],
      },
      { key: 'service_desk', name: 'Service desk', total: 2, passed: 1, waived: 0, criteria: ['a', 'f'] },
      {
        key: 'unclassified',
        name: 'Unclassified',
        total: 2,
        passed: 1,
        waived: 0,
        criteria: ['d', 'e'],
        named: ['release management, service level management', 'workforce'],
      },
    ]);
  });

  it('is empty for no criteria', () => {
    expect(practiceCoverage([])).toEqual([]);
  });
});
