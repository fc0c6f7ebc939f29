// The live stream as the pages use it: one connection per tab, every event refreshes the cached reads it
// touches (the deliverable, the inbox, the lists), and pages may listen for their own needs.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getToken } from '../auth/session';
import { refresh } from '../lib/store';
import { startLiveStream, type LiveEvent, type LiveState } from './live-stream';

const handlers = new Set<(event: LiveEvent) => void>();
const stateListeners = new Set<() => void>();
/** `downSince`: when the stream was lost, until it is open again (reconnect attempts do not reset it). */
let state: { value: LiveState; retryInMs?: number; downSince: number | null } = {
  value: 'connecting',
  downSince: null,
};
let stop: (() => void) | null = null;

function setState(value: LiveState, retryInMs?: number) {
  if (state.value === value && state.retryInMs === retryInMs) return;
  const downSince =
    value === 'open' ? null : value === 'down' ? (state.downSince ?? Date.now()) : state.downSince;
  state = { value, retryInMs, downSince };
  stateListeners.forEach((listener) => listener());
}

function dispatch(event: LiveEvent) {
  if (event.deliverableId) {
    refresh(`deliverable:${event.deliverableId}`);
    refresh(`history:${event.deliverableId}`);
    refresh(`reminders:${event.deliverableId}`);
  }
  handlers.forEach((handler) => handler(event));
}

export function connectLive(): void {
  stop?.();
  stop = startLiveStream({ token: getToken, onEvent: dispatch, onState: setState });
}

export function disconnectLive(): void {
  stop?.();
  stop = null;
}

/** Calls `handler` for every live event while the component is mounted. */
export function useLiveEvents(handler: (event: LiveEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const wrapped = (event: LiveEvent) => ref.current(event);
    handlers.add(wrapped);
    return () => {
      handlers.delete(wrapped);
    };
  }, []);
}

export function useLiveState() {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    () => state,
  );
}
