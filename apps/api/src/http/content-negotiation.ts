import { AppError, AppErrorCode } from '@baton/errors';

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** Where it stands in the header: earlier wins a tie. */
  index: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part, index): MediaRange | null => {
      const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const [type, subtype] = range.toLowerCase().split('/');
      if (!type || !subtype) return null;
      const qParameter = parameters.find((parameter) => /^q\s*=/i.test(parameter));
      const q = qParameter === undefined ? 1 : Number(qParameter.split('=')[1]);
      return { type, subtype, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0, index };
    })
    .filter((range): range is MediaRange => range !== null);
}

/** How exactly `range` names `offer`: 3 exactly, 2 by `type/*`, 1 by `*\/*`, 0 not at all. */
function specificity(range: MediaRange, offer: string): number {
  const [type, subtype] = offer.split('/');
  if (range.type === type && range.subtype === subtype) return 3;
  if (range.type === type && range.subtype === '*') return 2;
  if (range.type === '*' && range.subtype === '*') return 1;
  return 0;
}

/**
 * The offer the Accept header prefers (RFC 9110, section 12.5.1): each offer takes the quality of the most
 * specific range that names it; the highest quality wins, then the more specific naming (a client that
 * sends `application/pdf, *\/*` asks for the PDF), then the order of the ranges, then of the offers. No
 * header: the first offer. Null when the header accepts none of them (406).
 */
export function negotiate<const T extends string>(
  accept: string | undefined,
  offers: readonly T[],
): T | null {
  if (accept === undefined || accept.trim() === '') return offers[0] ?? null;
  const ranges = parseAccept(accept);
  let best: { offer: T; q: number; specificity: number; index: number; order: number } | null = null;
  for (const [order, offer] of offers.entries()) {
    let match: MediaRange | null = null;
    let matchSpecificity = 0;
    for (const range of ranges) {
      const level = specificity(range, offer);
      if (level > matchSpecificity) {
        match = range;
        matchSpecificity = level;
      }
    }
    if (!match || match.q === 0) continue;
    const candidate = { offer, q: match.q, specificity: matchSpecificity, index: match.index, order };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.specificity > best.specificity) ||
      (candidate.q === best.q && candidate.specificity === best.specificity && candidate.index < best.index)
    )
      best = candidate;
  }
  return best?.offer ?? null;
}

/** As negotiate; a request that accepts none of the offers is refused with 406. */
export function negotiateOrRefuse<const T extends string>(
  accept: string | undefined,
  offers: readonly T[],
): T {
  const chosen = negotiate(accept, offers);
  if (chosen === null) {
    throw new AppError(
      AppErrorCode.NotAcceptable,
      `This resource is served as ${offers.join(' or ')}; the Accept header names neither`,
      { accepts: [...offers] },
    );
  }
  return chosen;
}
