// The lens: one record read in the PMO's words (PRINCE2, PMBOK), the SMO's (ITIL) or both, from
// GET /v1/glossary. Whatever the lens, the other office's word is kept for the tooltip.
import type { Glossary } from '../api/types';

export const LENSES = ['pmo', 'smo', 'both'] as const;
export type Lens = (typeof LENSES)[number];

export interface Words {
  /** What the reader sees. */
  text: string;
  /** Every word for it, for the `title` tooltip: the other office's is one hover away. */
  title: string;
  pmo: string;
  smo: string;
}

export const isLens = (value: unknown): value is Lens => LENSES.includes(value as Lens);

const ACRONYMS = new Set(['pmo', 'smo', 'els', 'sla', 'itil', 'cab', 'ci']);

/** "early_life_support" -> "Early life support", "els_review" -> "ELS review": Baton's words for people. */
export function humanize(word: string): string {
  const spaced = word
    .replace(/_/g, ' ')
    .trim()
    .split(' ')
    .map((part) => (ACRONYMS.has(part.toLowerCase()) ? part.toUpperCase() : part))
    .join(' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const capital = (text: string) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);

export function words(pmo: string, smo: string, lens: Lens, baton: string): Words {
  const p = capital(pmo);
  const s = capital(smo);
  const text = lens === 'pmo' ? p : lens === 'smo' ? s : p === s ? p : `${p} · ${s}`;
  const title =
    lens === 'pmo'
      ? `SMO: ${s} (Baton: ${baton})`
      : lens === 'smo'
        ? `PMO: ${p} (Baton: ${baton})`
        : `PMO: ${p} / SMO: ${s} (Baton: ${baton})`;
  return { text, title, pmo: p, smo: s };
}

/** A status in the reader's words. */
export function statusWords(glossary: Glossary | undefined, status: string, lens: Lens): Words {
  const entry = glossary?.statuses.find((item) => item.status === status);
  if (!entry) return words(humanize(status), humanize(status), lens, status);
  return words(entry.pmo, entry.smo, lens, status);
}

/** Where a gate is named in the glossary's terms (by Baton's own word). */
const GATE_TERMS: Record<string, string> = { acceptance: 'acceptance gate', els_exit: 'els_exit gate' };

/** A glossary term by Baton's word (its start is enough: "acceptance gate", "ELS incident"). */
export function termWords(
  glossary: Glossary | undefined,
  baton: string,
  lens: Lens,
  fallback?: string,
): Words {
  const term = glossary?.terms.find((item) => item.baton.toLowerCase().startsWith(baton.toLowerCase()));
  const plain = fallback ?? humanize(baton);
  if (!term) return words(plain, plain, lens, baton);
  return words(term.pmo, term.smo, lens, term.baton);
}

export function gateWords(glossary: Glossary | undefined, gate: string, lens: Lens): Words {
  return termWords(glossary, GATE_TERMS[gate] ?? gate, lens, humanize(gate));
}
