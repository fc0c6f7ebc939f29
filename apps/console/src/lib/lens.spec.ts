import { describe, expect, it } from '@jest/globals';
import type { Glossary } from '../api/types';
import { gateWords, humanize, isLens, statusWords, termWords } from './lens';

const glossary: Glossary = {
  terms: [
    {
      pmo: 'Validate Scope: accepted deliverables (PMBOK)',
      smo: 'Service validation, operational acceptance',
      baton: 'acceptance gate',
    },
    { pmo: 'Acceptance records', smo: 'Operational acceptance sign-off', baton: 'els_exit gate decisions' },
    { pmo: 'Issue, off-specification', smo: 'Incident, problem, known error', baton: 'ELS incident' },
  ],
  statuses: [
    { status: 'early_life_support', pmo: 'warranty, hypercare', smo: 'early life support', practices: [] },
    {
      status: 'operational',
      pmo: 'products handed over, project closed',
      smo: 'live service in business as usual',
      practices: [],
    },
  ],
};

describe('the lens', () => {
  it('names a status in the PMO words, with the SMO words in the tooltip', () => {
    expect(statusWords(glossary, 'early_life_support', 'pmo')).toEqual({
      text: 'Warranty, hypercare',
      title: 'SMO: Early life support (Baton: early_life_support)',
      pmo: 'Warranty, hypercare',
      smo: 'Early life support',
    });
  });

  it('names it in the SMO words, with the PMO words in the tooltip', () => {
    const w = statusWords(glossary, 'operational', 'smo');
    expect(w.text).toBe('Live service in business as usual');
    expect(w.title).toBe('PMO: Products handed over, project closed (Baton: operational)');
  });

  it('shows both words side by side in "both"', () => {
    expect(statusWords(glossary, 'operational', 'both').text).toBe(
      'Products handed over, project closed · Live service in business as usual',
    );
  });

  it("falls back to Baton's word when the glossary has none (or is not loaded yet)", () => {
    expect(statusWords(undefined, 'on_hold', 'pmo').text).toBe('On hold');
    expect(statusWords(glossary, 'els_review', 'both').text).toBe('ELS review');
  });

  it('names the gates and terms through the glossary terms', () => {
    expect(gateWords(glossary, 'acceptance', 'smo').text).toBe('Service validation, operational acceptance');
    expect(gateWords(glossary, 'els_exit', 'pmo').text).toBe('Acceptance records');
    expect(gateWords(glossary, 'unknown_gate', 'pmo').text).toBe('Unknown gate');
    expect(termWords(glossary, 'ELS incident', 'pmo').text).toBe('Issue, off-specification');
  });

  it('knows its lenses and humanizes words', () => {
    expect(isLens('both')).toBe(true);
    expect(isLens('cio')).toBe(false);
    expect(humanize('request_changes')).toBe('Request changes');
    expect(humanize('pmo')).toBe('PMO');
  });
});
