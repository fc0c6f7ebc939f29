import { describe, expect, it } from '@jest/globals';
import { AppError, AppErrorCode } from '@baton/errors';
import { negotiate, negotiateOrRefuse } from './content-negotiation.js';

const OFFERS = ['application/json', 'application/pdf'] as const;

describe('negotiate', () => {
  it('gives the first offer when the client states nothing', () => {
    expect(negotiate(undefined, OFFERS)).toBe('application/json');
    expect(negotiate('  ', OFFERS)).toBe('application/json');
  });

  it('takes the quality of the most specific range that names each offer', () => {
    expect(negotiate('application/pdf', OFFERS)).toBe('application/pdf');
    expect(negotiate('application/json;q=0.4, application/pdf;q=0.8', OFFERS)).toBe('application/pdf');
    expect(negotiate('application/*;q=0.9, application/json;q=0.1', OFFERS)).toBe('application/pdf');
    expect(negotiate('application/pdf;q=0, */*', OFFERS)).toBe('application/json');
  });

  it('prefers the offer named exactly over one a wildcard covers, then the order of the header and offers', () => {
    expect(negotiate('application/pdf, */*', OFFERS)).toBe('application/pdf');
    expect(negotiate('*/*', OFFERS)).toBe('application/json');
    expect(negotiate('application/*', OFFERS)).toBe('application/json');
    expect(negotiate('application/pdf, application/json', OFFERS)).toBe('application/pdf');
    expect(negotiate('APPLICATION/PDF', OFFERS)).toBe('application/pdf');
  });

  it('accepts none when no range names an offer, or every one that does says q=0', () => {
    expect(negotiate('text/html', OFFERS)).toBeNull();
    expect(negotiate('text/*, image/png', OFFERS)).toBeNull();
    expect(negotiate('application/json;q=0, application/pdf;q=0', OFFERS)).toBeNull();
    expect(negotiate('*/*;q=0', OFFERS)).toBeNull();
    expect(negotiate('garbage', OFFERS)).toBeNull();
  });

  it('reads a quality that is not a number as 0, and clamps one above 1', () => {
    expect(negotiate('application/pdf;q=high, application/json;q=0.2', OFFERS)).toBe('application/json');
    expect(negotiate('application/pdf;q=7, application/json', OFFERS)).toBe('application/pdf');
  });
});

describe('negotiateOrRefuse', () => {
  it('refuses with a coded error naming what is served', () => {
    expect(negotiateOrRefuse('application/pdf', OFFERS)).toBe('application/pdf');
    let refusal: unknown;
    try {
      negotiateOrRefuse('text/csv', OFFERS);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({
      code: AppErrorCode.NotAcceptable,
      details: { accepts: ['application/json', 'application/pdf'] },
    });
  });
});
