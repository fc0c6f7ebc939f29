// The approver's inbox (GET /v1/inbox): what waits for my decision, most urgent first. The list is a stable
// snapshot: a live event updates the rows it shows in place, marks rows that no longer wait for me, and
// counts new arrivals ("2 new — show") instead of moving rows under the reader.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { Decision, Deliverable, InboxItem } from '../api/types';
import { DecisionForm, type DecisionFormHandle } from '../deliverable/decision-form';
import { readinessCount, waitingText } from '../deliverable/summary';
import { humanize } from '../lib/lens';
import { Link, navigate } from '../lib/router';
import { countdown, formatDateTime } from '../lib/time';
import { useLiveEvents } from '../live/live';
import { useApp } from '../shell/app-context';
import { Empty, Loading, ProblemMessage, Progress, StatusBadge, Term, TextArea } from '../ui/components';
import { explain } from '../lib/problem';
import { prime } from '../lib/store';

const PAGE = 100;

/**
 * A row's key: one deliverable may wait twice, for me and for a delegator I stand in for (each decision
 * counts for its own principal).
 */
const keyOf = (item: InboxItem): string => `${item.deliverable.id}:${item.onBehalfOf ?? 'me'}`;

interface Row {
  item: InboxItem;
  /** Set once the row no longer waits for me: why. */
  gone?: string;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const DECIDED: Record<Decision, string> = {
  approve: 'You approved',
  request_changes: 'You requested changes',
  reject: 'You rejected',
  reject_final: 'You rejected it for good',
};

export function InboxPage() {
  const app = useApp();
  const [rows, setRowsState] = useState<Row[] | null>(null);
  const rowsRef = useRef<Row[] | null>(null);
  const setRows = (next: Row[] | null) => {
    rowsRef.current = next;
    setRowsState(next);
  };
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<InboxItem[]>([]);
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [batch, setBatch] = useState(false);
  const forms = useRef(new Map<string, DecisionFormHandle>());
  const rowRefs = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    document.title = 'Inbox · Baton';
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await ok(api.GET('/v1/inbox', { params: { query: { limit: PAGE } } }));
      setRows(page.items.map((item) => ({ item })));
      setCursor(page.nextCursor ?? null);
      setFresh([]);
    } catch (caught) {
      setError(caught);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await ok(api.GET('/v1/inbox', { params: { query: { limit: PAGE, cursor } } }));
      const current = rowsRef.current ?? [];
      const known = new Set(current.map((row) => keyOf(row.item)));
      setRows([
        ...current,
        ...page.items.filter((item) => !known.has(keyOf(item))).map((item) => ({ item })),
      ]);
      setCursor(page.nextCursor ?? null);
    } catch (caught) {
      setError(caught);
    }
  };

  // Live: rows update in place, rows that no longer wait are marked, arrivals are counted, not inserted.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const touched = useRef(new Set<string>());
  const check = useCallback(() => {
    const ids = touched.current;
    touched.current = new Set();
    void ok(api.GET('/v1/inbox', { params: { query: { limit: PAGE } } })).then(
      (page) => {
        const current = rowsRef.current;
        if (!current) return;
        const waiting = new Map(page.items.map((item) => [keyOf(item), item]));
        const complete = !page.nextCursor;
        let changed = false;
        const next = current.map((row) => {
          const id = row.item.deliverable.id;
          const still = waiting.get(keyOf(row.item));
          if (still && !row.gone) {
            if (
              still.deliverable.version === row.item.deliverable.version &&
              still.approvals === row.item.approvals
            )
              return row;
            changed = true;
            return { item: still };
          }
          if (row.gone || still) return row;
          // Not on the first page: gone for sure only if the whole inbox fits in it, or the event was its own.
          if (complete || ids.has(id)) {
            changed = true;
            return {
              ...row,
              gone: 'No longer waits for you: decided meanwhile (the quorum may have been reached), or it moved on.',
            };
          }
          return row;
        });
        if (changed) setRows(next);
        const known = new Set(current.map((row) => keyOf(row.item)));
        const arrivals = page.items.filter((item) => !known.has(keyOf(item)));
        setFresh((before) =>
          before.length === arrivals.length && before.every((item, i) => keyOf(item) === keyOf(arrivals[i]))
            ? before
            : arrivals,
        );
      },
      () => undefined,
    );
  }, []);
  useLiveEvents((event) => {
    if (event.deliverableId) touched.current.add(event.deliverableId);
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(check, 120);
  });
  // Every decision comes as an event; a light check every 15 s while the tab is in view is the safety net.
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) check();
    }, 15_000);
    return () => clearInterval(timer);
  }, [check]);

  const showFresh = () => {
    setRows([...fresh.map((item) => ({ item })), ...(rowsRef.current ?? []).filter((row) => !row.gone)]);
    setFresh([]);
    setSelected(0);
  };

  const visible = rows ?? [];
  const decided = (key: string, updated: Deliverable, decision: Decision) => {
    setRows(
      (rowsRef.current ?? []).map((row) =>
        keyOf(row.item) === key
          ? { item: { ...row.item, deliverable: updated }, gone: `${DECIDED[decision]}.` }
          : row,
      ),
    );
  };

  // Keyboard: J/K move, Enter opens, A approves, R rejects (asks for the reason first), X expands.
  useEffect(() => {
    if (!app.shortcuts) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const row = visible[selected];
      const key = event.key.toLowerCase();
      const focusRow = (index: number) => {
        const item = visible[index]?.item;
        if (item) rowRefs.current.get(keyOf(item))?.focus();
      };
      if (key === 'j' || key === 'k') {
        event.preventDefault();
        const next = Math.max(0, Math.min(visible.length - 1, selected + (key === 'j' ? 1 : -1)));
        setSelected(next);
        focusRow(next);
      } else if (
        key === 'enter' &&
        row &&
        (event.target === document.body || event.target === rowRefs.current.get(keyOf(row.item)))
      ) {
        event.preventDefault();
        navigate(`/deliverables/${row.item.deliverable.id}`);
      } else if ((key === 'a' || key === 'r') && row && !row.gone) {
        event.preventDefault();
        const id = keyOf(row.item);
        setOpen(id);
        // The form mounts with the row open.
        // The decision form mounts with the row open: act once it is there.
        const act = (tries: number) => {
          const form = forms.current.get(id);
          if (!form) {
            if (tries > 0) setTimeout(() => act(tries - 1), 25);
            return;
          }
          if (key === 'a') form.decide('approve');
          else form.focusComment();
        };
        setTimeout(() => act(40), 0);
      } else if (key === 'x' && row) {
        event.preventDefault();
        setOpen(open === keyOf(row.item) ? null : keyOf(row.item));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const waitingCount = visible.filter((row) => !row.gone).length;
  const pickedRows = visible.filter((row) => picked.has(keyOf(row.item)) && !row.gone);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Inbox</h1>
          <p className="muted">
            {rows === null
              ? 'What waits for your decision.'
              : `${waitingCount}${cursor ? '+' : ''} waiting for your decision, most urgent first.`}
          </p>
        </div>
        <label className="toggle">
          <input
            type="checkbox"
            checked={app.shortcuts}
            onChange={(event) => app.setShortcuts(event.target.checked)}
          />
          Single-key shortcuts
        </label>
      </div>
      {app.shortcuts ? (
        <p className="shortcut-help small muted" id="inbox-keys">
          <kbd>J</kbd>/<kbd>K</kbd> move · <kbd>Enter</kbd> open · <kbd>X</kbd> details · <kbd>A</kbd> approve
          · <kbd>R</kbd> reject (with a reason). Off while you type.
        </p>
      ) : null}
      {fresh.length > 0 ? (
        <div className="banner banner-info" role="status">
          <span>
            {fresh.length} new {fresh.length === 1 ? 'item waits' : 'items wait'} for you.
          </span>
          <button type="button" className="button button-small" onClick={showFresh}>
            Show {fresh.length} new
          </button>
        </div>
      ) : null}
      <ProblemMessage
        error={error}
        action={
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        }
      />
      {rows === null && !error ? <Loading what="your inbox" /> : null}
      {rows !== null && visible.length === 0 ? (
        <Empty title="Nothing waits for your decision">
          <p>
            Deliverables appear here when they reach a gate where one of your roles (
            {app.me.roles.map(humanize).join(', ')}) decides, or a role someone delegated to you while they
            are out of office, unless you submitted them. New ones show up live, without a reload.
          </p>
        </Empty>
      ) : null}
      {pickedRows.length > 0 ? (
        <BatchApproval
          rows={pickedRows}
          open={batch}
          onOpen={setBatch}
          onClear={() => {
            setPicked(new Set());
            setBatch(false);
          }}
          onDecided={(id, updated) => {
            decided(id, updated, 'approve');
            setPicked((before) => {
              const next = new Set(before);
              next.delete(id);
              return next;
            });
          }}
        />
      ) : null}
      {visible.length > 0 ? (
        <ul
          className="inbox-list"
          aria-label="Waiting for your decision"
          aria-describedby={app.shortcuts ? 'inbox-keys' : undefined}
        >
          {visible.map((row, index) => {
            const key = keyOf(row.item);
            return (
              <InboxRow
                key={key}
                row={row}
                now={now}
                selected={index === selected}
                expanded={open === key}
                onToggle={() => setOpen(open === key ? null : key)}
                onFocus={() => setSelected(index)}
                rowRef={(element) => {
                  if (element) rowRefs.current.set(key, element);
                  else rowRefs.current.delete(key);
                }}
                formRef={(handle) => {
                  if (handle) forms.current.set(key, handle);
                  else forms.current.delete(key);
                }}
                onDecided={decided}
                picked={picked.has(key)}
                onPick={(on) => {
                  const next = new Set(picked);
                  if (on) next.add(key);
                  else next.delete(key);
                  setPicked(next);
                }}
              />
            );
          })}
        </ul>
      ) : null}
      {cursor ? (
        <button type="button" className="button" onClick={() => void more()}>
          Show more
        </button>
      ) : null}
    </div>
  );
}

function InboxRow({
  row,
  now,
  selected,
  expanded,
  onToggle,
  onFocus,
  rowRef,
  formRef,
  onDecided,
  picked,
  onPick,
}: {
  row: Row;
  picked: boolean;
  onPick: (on: boolean) => void;
  now: number;
  selected: boolean;
  expanded: boolean;
  onToggle: () => void;
  onFocus: () => void;
  rowRef: (element: HTMLLIElement | null) => void;
  formRef: (handle: DecisionFormHandle | null) => void;
  onDecided: (id: string, updated: Deliverable, decision: Decision) => void;
}) {
  const app = useApp();
  const { item } = row;
  const d = item.deliverable;
  const sla = item.slaDueAt ? countdown(item.slaDueAt, now) : null;
  const overdue = item.overdue || sla?.overdue;
  const counts = readinessCount(d.readiness.criteria);
  const key = keyOf(item);
  const detailId = `inbox-detail-${key.replace(':', '-')}`;
  const delegator = item.onBehalfOf
    ? { id: item.onBehalfOf, name: item.onBehalfOfName ?? item.onBehalfOf }
    : null;
  return (
    <li
      ref={rowRef}
      tabIndex={-1}
      className={`inbox-row ${selected ? 'selected' : ''} ${row.gone ? 'gone' : ''} ${overdue ? 'overdue' : ''}`}
      onFocus={onFocus}
      aria-current={selected ? 'true' : undefined}
    >
      <div className="inbox-main">
        <div className="inbox-title">
          <Link href={`/deliverables/${d.id}`}>{d.title}</Link>
          <StatusBadge status={d.status} />
        </div>
        <div className="inbox-meta">
          <span className="gate-chip">
            <Term words={app.gate(item.gate)} />
            {item.round > 1 ? ` · round ${item.round}` : ''}
          </span>
          {delegator ? <span className="delegated-chip">On behalf of {delegator.name}</span> : null}
          <span className="waiting">{waitingText(item)}</span>
          {sla ? (
            <span className={`sla ${overdue ? 'sla-overdue' : sla.soon ? 'sla-soon' : ''}`}>
              {overdue ? <span aria-hidden="true">⚠ </span> : null}
              {overdue ? 'Overdue: decision ' : 'Decision '}
              {sla.text}
            </span>
          ) : null}
          <span className="muted">Target go-live {formatDateTime(d.targetGoLive)}</span>
        </div>
        {row.gone ? (
          <p className="gone-note" role="status">
            <span aria-hidden="true">✓ </span>
            {row.gone}
          </p>
        ) : null}
      </div>
      <div className="inbox-side">
        {row.gone ? null : (
          <label className="toggle pick">
            <input type="checkbox" checked={picked} onChange={(event) => onPick(event.target.checked)} />
            Select<span className="visually-hidden"> {d.title}</span>
          </label>
        )}
        <button
          type="button"
          className="button button-small"
          aria-expanded={expanded}
          aria-controls={detailId}
          onClick={onToggle}
        >
          {expanded ? 'Hide details' : row.gone ? 'Details' : 'Details and decide'}
          <span className="visually-hidden"> for {d.title}</span>
        </button>
      </div>
      {expanded ? (
        <div className="inbox-detail" id={detailId}>
          <div className="inbox-checklist">
            <h2 className="h3">
              <Term words={app.term('readiness criteria', 'Readiness criteria')} />
            </h2>
            <Progress done={counts.done} total={counts.total} label={`Readiness of ${d.title}`} />
            <p className="small">
              {counts.passed} passed · {counts.waived} waived · {counts.failed} failed · {counts.pending}{' '}
              pending
            </p>
            {counts.done < counts.total ? (
              <ul className="compact-list">
                {d.readiness.criteria
                  .filter((criterion) => criterion.status !== 'passed' && criterion.status !== 'waived')
                  .slice(0, 8)
                  .map((criterion) => (
                    <li key={criterion.key}>
                      <span className={`crit crit-${criterion.status}`}>{humanize(criterion.status)}</span>{' '}
                      {criterion.title}
                      {criterion.mandatory ? '' : ' (advisory)'}
                    </li>
                  ))}
              </ul>
            ) : null}
            {item.decisions.length > 0 ? (
              <>
                <h3 className="h4">This round so far</h3>
                <ul className="compact-list">
                  {item.decisions.map((decision) => (
                    <li key={`${decision.principalId}-${decision.at}`}>
                      {humanize(decision.decision)} as {humanize(decision.role).toLowerCase()}
                      {decision.onBehalfOf ? ' (by a delegate)' : ''}
                      {decision.comment ? `: “${decision.comment}”` : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {d.description ? <p className="small muted clamp">{d.description}</p> : null}
          </div>
          {row.gone ? null : (
            <DecisionForm
              deliverable={d}
              roles={item.roles}
              compact
              handle={formRef}
              onBehalfOf={delegator ?? undefined}
              onDecided={(updated, decision) => onDecided(key, updated, decision)}
            />
          )}
        </div>
      ) : null}
    </li>
  );
}

/**
 * Approving several items at once: the reader picks them (never "all" by default), the panel lists every item
 * it covers with its gate and the role it approves with, asks once for a comment, then decides them one by one
 * and says how each went.
 */
function BatchApproval({
  rows,
  open,
  onOpen,
  onClear,
  onDecided,
}: {
  rows: Row[];
  open: boolean;
  onOpen: (open: boolean) => void;
  onClear: () => void;
  onDecided: (id: string, updated: Deliverable) => void;
}) {
  const app = useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Record<string, string>>({});
  const run = async () => {
    setBusy(true);
    const problems: Record<string, string> = {};
    for (const { item } of rows) {
      const d = item.deliverable;
      try {
        const updated = await ok(
          api.POST('/v1/deliverables/{id}/decisions', {
            params: { path: { id: d.id }, header: ifMatch(d.version) },
            body: {
              gate: item.gate,
              role: item.roles[0] ?? '',
              decision: 'approve',
              ...(comment.trim() ? { comment: comment.trim() } : {}),
              ...(item.onBehalfOf ? { onBehalfOf: item.onBehalfOf } : {}),
            },
          }),
        );
        prime(`deliverable:${d.id}`, updated);
        onDecided(keyOf(item), updated);
      } catch (error) {
        problems[keyOf(item)] = explain(error).summary;
      }
    }
    setRefused(problems);
    setBusy(false);
    if (Object.keys(problems).length === 0) {
      setComment('');
      onOpen(false);
    }
  };
  return (
    <section className="card section batch" aria-labelledby="batch-title">
      <div className="section-head">
        <h2 id="batch-title" className="h3">
          {rows.length} selected
        </h2>
        <div className="row">
          <button
            type="button"
            className="button button-small"
            aria-expanded={open}
            onClick={() => onOpen(!open)}
          >
            Approve {rows.length} selected…
          </button>
          <button type="button" className="button button-small button-ghost" onClick={onClear}>
            Clear selection
          </button>
        </div>
      </div>
      {open ? (
        <div>
          <p className="small">You approve each of these at the gate it waits at:</p>
          <ul className="compact-list">
            {rows.map(({ item }) => (
              <li key={keyOf(item)}>
                <strong>{item.deliverable.title}</strong> · <Term words={app.gate(item.gate)} /> · as{' '}
                {humanize(item.roles[0] ?? '').toLowerCase()}
                {item.onBehalfOf ? ` on behalf of ${item.onBehalfOfName ?? item.onBehalfOf}` : ''}
                {refused[keyOf(item)] ? (
                  <span className="field-error"> — not approved: {refused[keyOf(item)]}</span>
                ) : null}
              </li>
            ))}
          </ul>
          <TextArea
            label="Comment for all of them (optional)"
            rows={2}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="row">
            <button
              type="button"
              className="button button-approve"
              disabled={busy}
              onClick={() => void run()}
            >
              Approve {rows.length}
            </button>
            <button type="button" className="button button-ghost" onClick={() => onOpen(false)}>
              Not now
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
