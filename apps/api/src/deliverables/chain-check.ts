import { type ChainBreak, verifyChain } from '@baton/commands';
import { type DeliverableHead } from '@baton/persistence';
import { type z } from 'zod';
import { type auditEventResponse } from './deliverable.responses.js';

/**
 * The first broken link of a deliverable's audit chain as served, or null when it holds. The row keeps the
 * chain's head: a tail cut off (or a forged last event) shows against it.
 */
export function chainBreak(
  events: readonly z.input<typeof auditEventResponse>[],
  row: Pick<DeliverableHead, 'auditSeq' | 'auditHash'>,
): ChainBreak | null {
  const last = events.at(-1);
  return (
    verifyChain([...events]) ??
    (last?.seq !== row.auditSeq || last.hash !== row.auditHash
      ? { seq: Math.min(row.auditSeq, (last?.seq ?? 0) + 1), reason: 'head' }
      : null)
  );
}
