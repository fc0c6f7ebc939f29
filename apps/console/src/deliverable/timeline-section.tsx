// The audit timeline, oldest first (one order), filterable by kind, times in local, UTC or relative form,
// with the hash chain recomputed in this browser (Web Crypto) and its verdict shown.
import { useEffect, useState } from 'react';
import type { AuditEvent } from '../api/types';
import { describeChain, verifyChain, type ChainCheck } from '../lib/hash-chain';
import { humanize } from '../lib/lens';
import { formatDateTime, relative } from '../lib/time';
import { usePrincipalName } from '../shell/principal-names';
import { SelectField, StatusBadge } from '../ui/components';

type TimeMode = 'local' | 'utc' | 'relative';

const LATEST = 12;

export function TimelineSection({ events }: { events: AuditEvent[] | undefined }) {
  const nameOf = usePrincipalName();
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const [kind, setKind] = useState('');
  const [time, setTime] = useState<TimeMode>('local');
  useEffect(() => {
    if (!events) return;
    let live = true;
    verifyChain(events).then(
      (result) => live && setCheck(result),
      () => live && setCheck(null),
    );
    return () => {
      live = false;
    };
  }, [events]);
  const kinds = [...new Set((events ?? []).map((event) => event.action))];
  const [all, setAll] = useState(false);
  const matching = (events ?? []).filter((event) => !kind || event.action === kind);
  // Oldest first, always; a long history shows its latest events with the earlier ones one click away.
  const hidden = all ? 0 : Math.max(0, matching.length - LATEST);
  const shown = matching.slice(hidden);
  const at = (iso: string) =>
    time === 'utc'
      ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
      : time === 'relative'
        ? relative(iso)
        : formatDateTime(iso);
  return (
    <section className="card section" aria-labelledby="timeline-title">
      <div className="section-head">
        <h2 id="timeline-title">Audit timeline</h2>
        {check ? (
          <p className={`chain ${check.valid ? 'chain-ok' : 'chain-broken'}`} role="status">
            {/* No lock emoji: Debian's fonts draw it as an empty box; the verdict's own ✓ says it. */}
            {check.valid ? null : <span aria-hidden="true">⚠ </span>}
            {describeChain(check)}
          </p>
        ) : events ? (
          <p className="chain" role="status">
            Verifying the chain…
          </p>
        ) : null}
      </div>
      <div className="filters filters-compact">
        <SelectField
          label="Show"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          options={[
            { value: '', label: 'Every event' },
            ...kinds.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
        <SelectField
          label="Times"
          value={time}
          onChange={(e) => setTime(e.target.value as TimeMode)}
          options={[
            { value: 'local', label: 'Local time' },
            { value: 'utc', label: 'UTC' },
            { value: 'relative', label: 'Relative' },
          ]}
        />
      </div>
      {!events ? <p className="muted">Loading the timeline…</p> : null}
      {hidden > 0 ? (
        <button type="button" className="button button-small" onClick={() => setAll(true)}>
          Show the {hidden} earlier event{hidden === 1 ? '' : 's'}
        </button>
      ) : null}
      <ol className="timeline">
        {shown.map((event) => {
          const broken = check && !check.valid && check.seq === event.seq;
          return (
            <li key={event.seq} className={`timeline-item ${broken ? 'broken' : ''}`}>
              <div className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <p>
                  <strong>{humanize(event.action)}</strong>
                  {event.fromStatus !== event.toStatus ? (
                    <>
                      {' '}
                      {event.fromStatus ? <StatusBadge status={event.fromStatus} /> : null}{' '}
                      <span aria-label="to">→</span> <StatusBadge status={event.toStatus} />
                    </>
                  ) : null}
                </p>
                <p className="small muted">
                  #{event.seq} · <time dateTime={event.at}>{at(event.at)}</time> · {nameOf(event.principalId)}
                  {broken ? <strong className="text-danger"> · the chain breaks here</strong> : null}
                </p>
                <EventData data={event.data} nameOf={nameOf} />
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function EventData({ data, nameOf }: { data: Record<string, unknown>; nameOf: (id: string) => string }) {
  const entries = Object.entries(data).filter(
    ([, value]) => value !== null && value !== undefined && value !== '',
  );
  // A decision taken for a delegator says so first, by name (only six members are shown).
  const delegator = entries.findIndex(([key]) => key === 'onBehalfOf');
  if (delegator > 0) entries.unshift(...entries.splice(delegator, 1));
  if (entries.length === 0) return null;
  return (
    <dl className="event-data small">
      {entries.slice(0, 6).map(([key, value]) => (
        <div key={key}>
          <dt>{humanize(key)}</dt>
          <dd>
            {key === 'onBehalfOf' && typeof value === 'string'
              ? nameOf(value)
              : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
                ? String(value)
                : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
