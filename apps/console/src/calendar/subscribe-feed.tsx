// "Subscribe in your calendar": a feed URL with a read-only token of the signed-in principal, made on
// request (POST /v1/principals/{id}/feed-token) and shown once; making a new one ends the old.
import { useEffect, useId, useRef, useState } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../lib/use-action';
import { useApp } from '../shell/app-context';
import { ProblemMessage } from '../ui/components';

/** The feed URL, narrowed to the calendar's filters when asked. */
function withFilters(url: string, filters: { projectId: string; serviceId: string } | null): string {
  if (!filters) return url;
  const narrowed = new URL(url);
  if (filters.projectId) narrowed.searchParams.set('projectId', filters.projectId);
  if (filters.serviceId) narrowed.searchParams.set('serviceId', filters.serviceId);
  return narrowed.toString();
}

export function SubscribeFeed({
  projectId,
  serviceId,
  filterNames,
}: {
  projectId: string;
  serviceId: string;
  /** The filters in words ("Payments"), or null when none is set. */
  filterNames: string | null;
}) {
  const { me } = useApp();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [renewed, setRenewed] = useState(false);
  const [narrow, setNarrow] = useState(true);
  const [copied, setCopied] = useState(false);
  const make = useAction();
  const titleId = useId();
  // Focus follows the panel: into it when it opens, back to its button when it closes.
  const opener = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (open) first.current?.focus();
    else if (opened.current) opener.current?.focus();
    opened.current = open;
  }, [open]);
  // A new address takes the focus, selected, ready to copy (the button that made it is gone).
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (url) field.current?.focus();
  }, [url]);

  const request = (again: boolean) =>
    void make.run(async () => {
      const answer = await ok(
        api.POST('/v1/principals/{id}/feed-token', { params: { path: { id: me.id } }, body: {} }),
      );
      setUrl(answer.url);
      setRenewed(again);
      setCopied(false);
    });

  const shown = url ? withFilters(url, narrow && filterNames ? { projectId, serviceId } : null) : null;

  if (!open)
    return (
      <button ref={opener} type="button" className="button" onClick={() => setOpen(true)}>
        Subscribe in your calendar
      </button>
    );

  return (
    <section className="alert alert-info feed-subscribe" aria-labelledby={titleId}>
      <h2 id={titleId} className="alert-title h4">
        Subscribe in your calendar
      </h2>
      <p className="small">
        Add this address to Outlook, Google Calendar or Apple Calendar as a calendar from the web (subscribe
        by URL): go-live windows, ELS period ends and change freezes appear there and follow changes here.
      </p>
      {make.error ? <ProblemMessage error={make.error} /> : null}
      {!shown ? (
        <p className="small">
          You have one feed address at a time: making one ends the one you made before, in every calendar that
          subscribed to it.
        </p>
      ) : null}
      {shown ? (
        <>
          <div className="feed-url-row">
            <label className="visually-hidden" htmlFor={`${titleId}-url`}>
              Calendar feed URL
            </label>
            <input
              ref={field}
              id={`${titleId}-url`}
              className="feed-url"
              readOnly
              value={shown}
              onFocus={(event) => event.currentTarget.select()}
            />
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                void navigator.clipboard.writeText(shown).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied ✓' : 'Copy URL'}
            </button>
          </div>
          {filterNames ? (
            <label className="toggle small">
              <input type="checkbox" checked={narrow} onChange={(e) => setNarrow(e.target.checked)} />
              Only what the filters show ({filterNames})
            </label>
          ) : null}
          <p className="small" role="status">
            {renewed ? <strong>A new address: the one before no longer works. </strong> : null}
            <strong>Keep it secret:</strong> anyone with this address can read the calendar. It is shown this
            once; Baton keeps only a hash of it.
          </p>
        </>
      ) : null}
      <div className="row">
        {shown ? (
          <>
            <button
              type="button"
              className="button button-small"
              disabled={make.busy}
              onClick={() => request(true)}
            >
              Make a new one
            </button>
            <span className="small muted">(the address above then stops working)</span>
          </>
        ) : (
          <button
            ref={first}
            type="button"
            className="button button-small button-primary"
            disabled={make.busy}
            onClick={() => request(false)}
          >
            {make.busy ? 'Making it…' : 'Make my feed address'}
          </button>
        )}
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => {
            setOpen(false);
            setUrl(null);
          }}
        >
          Done
        </button>
      </div>
    </section>
  );
}
