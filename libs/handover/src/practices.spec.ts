import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { STATUSES } from './handover.types.js';
import { findPractice, PRACTICES, practicesTable } from './practices.data.js';

const DOC = new URL('../../../docs/PRACTICES.md', import.meta.url);

describe('the ITIL 4 practice catalogue', () => {
  it('has the 34 practices, 14 general, 17 service and 3 technical, each key once', () => {
    expect(PRACTICES).toHaveLength(34);
    const count = (group: string) => PRACTICES.filter((p) => p.group === group).length;
    expect([count('general'), count('service'), count('technical')]).toEqual([14, 17, 3]);
    expect(new Set(PRACTICES.map((p) => p.key)).size).toBe(34);
    for (const p of PRACTICES) {
      expect(p.key).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(p.key).toBe(p.name.toLowerCase().replace(/ /g, '_'));
      expect(p.prince2.length + p.pmbok.length).toBeGreaterThan(1);
      expect(p.statuses.length).toBeGreaterThan(0);
      for (const status of p.statuses) expect(STATUSES).toContain(status);
    }
  });

  it('finds a practice by key or by name in any case, and nothing for an unknown one', () => {
    expect(findPractice('service_validation_and_testing')?.name).toBe('Service validation and testing');
    expect(findPractice('Service Validation and Testing')?.key).toBe('service_validation_and_testing');
    expect(findPractice('  change enablement ')?.key).toBe('change_enablement');
    expect(findPractice('IT asset management')?.key).toBe('it_asset_management');
    expect(findPractice('quality assurance')).toBeUndefined();
    expect(findPractice('')).toBeUndefined();
  });

  it('is the table in docs/PRACTICES.md (BATON_UPDATE_DOCS=1 rewrites it)', () => {
    if (process.env.BATON_UPDATE_DOCS === '1') writeFileSync(DOC, practicesTable());
    expect(readFileSync(DOC, 'utf8')).toBe(practicesTable());
  });
});
