// What the calendar shows, and the conflicts of a go-live window: pure, so it is unit-tested.
import type { FreezeWindow } from '../api/types';

export interface CalendarEvent {
  id: string;
  /** null for a change freeze */
  deliverableId: string | null;
  kind: 'window' | 'target' | 'els_end' | 'freeze';
  title: string;
  start: Date;
  end: Date;
  /** A go-live window: its service. A freeze: the services it applies to (null: every service). */
  serviceId?: string;
  scope?: FreezeWindow['scope'];
}

/** A go-live window's conflicts: freezes that apply to its service and overlap it, other windows on it. */
export function conflictsOf(
  window: CalendarEvent,
  all: CalendarEvent[],
  tierOf: (serviceId: string) => number | undefined,
): string[] {
  if (window.kind !== 'window') return [];
  const overlaps = (other: CalendarEvent) => other.start < window.end && window.start < other.end;
  const applies = (freeze: CalendarEvent) => {
    const scope = freeze.scope;
    if (!scope || (!scope.tiers && !scope.serviceIds) || !window.serviceId) return true;
    const tier = tierOf(window.serviceId);
    return Boolean(
      scope.serviceIds?.includes(window.serviceId) || (tier !== undefined && scope.tiers?.includes(tier)),
    );
  };
  return all
    .filter((other) => other !== window && overlaps(other))
    .flatMap((other) => {
      if (other.kind === 'freeze' && applies(other)) return [`change freeze “${other.title}”`];
      if (other.kind === 'window' && other.serviceId === window.serviceId)
        return [`go-live of “${other.title}” on the same service`];
      return [];
    });
}
