// The shared vocabulary, for both offices: the glossary (Baton's words with the PMO's and the SMO's beside
// them) and the catalogue of ITIL 4's 34 practices with the PRINCE2 and PMBOK touchpoints of each.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Practice, Status } from '../api/types';
import { humanize } from '../lib/lens';
import { Link, setQuery, useLocation } from '../lib/router';
import { useApp } from '../shell/app-context';
import { Empty, Loaded, SelectField, StatusBadge, TextField } from '../ui/components';
import { usePractices } from './practices-data';

const SECTIONS = [
  { key: 'glossary', label: 'Glossary' },
  { key: 'practices', label: 'ITIL 4 practices' },
] as const;

export function ReferencePage({ section }: { section: string }) {
  useEffect(() => {
    document.title = `${SECTIONS.find((item) => item.key === section)?.label ?? 'Reference'} · Baton`;
  }, [section]);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Reference</h1>
          <p className="muted">One vocabulary for both offices: PRINCE2 and PMBOK beside ITIL 4.</p>
        </div>
      </div>
      <nav aria-label="Reference sections" className="tabs">
        <ul>
          {SECTIONS.map((item) => (
            <li key={item.key}>
              <Link href={`/reference/${item.key}`} aria-current={section === item.key ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'glossary' ? <GlossarySection /> : null}
      {section === 'practices' ? <PracticesSection /> : null}
      {!SECTIONS.some((item) => item.key === section) ? <p>No such reference section.</p> : null}
    </div>
  );
}

function GlossarySection() {
  const app = useApp();
  const practices = usePractices();
  const byName = new Map((practices.data ?? []).map((practice) => [practice.name.toLowerCase(), practice]));
  if (!app.glossary) return <p className="muted">The glossary is loading…</p>;
  return (
    <>
      <section className="card section" aria-labelledby="statuses-title">
        <h2 id="statuses-title">Statuses</h2>
        <p className="small muted">
          Each status of a handover in Baton's word, the project office's and the service office's, and the
          ITIL 4 practices at work in it.
        </p>
        <OfficesTable more="Practices">
          {app.glossary.statuses.map((entry) => (
            <tr key={entry.status}>
              <th scope="row">
                <code>{entry.status}</code>
              </th>
              <td>{entry.pmo}</td>
              <td>{entry.smo}</td>
              <td>
                {entry.practices.length === 0
                  ? '—'
                  : entry.practices.map((name, index) => {
                      const practice = byName.get(name.toLowerCase());
                      return (
                        <span key={name}>
                          {index > 0 ? ', ' : null}
                          {practice ? (
                            <Link href={`/reference/practices#${practice.key}`}>{practice.name}</Link>
                          ) : (
                            humanize(name)
                          )}
                        </span>
                      );
                    })}
              </td>
            </tr>
          ))}
        </OfficesTable>
      </section>
      <section className="card section" aria-labelledby="terms-title">
        <h2 id="terms-title">Terms</h2>
        <OfficesTable>
          {app.glossary.terms.map((term) => (
            <tr key={term.baton}>
              <th scope="row">{term.baton}</th>
              <td>{term.pmo}</td>
              <td>{term.smo}</td>
            </tr>
          ))}
        </OfficesTable>
      </section>
    </>
  );
}

/** A table of words with a column per office, Baton's first; `more` names one more column. */
function OfficesTable({ more, children }: { more?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Baton</th>
            <th scope="col">PMO (PRINCE2, PMBOK)</th>
            <th scope="col">SMO (ITIL 4)</th>
            {more ? <th scope="col">{more}</th> : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const GROUPS = ['general', 'service', 'technical'] as const;
const GROUP_WORDS: Record<(typeof GROUPS)[number], string> = {
  general: 'General management',
  service: 'Service management',
  technical: 'Technical management',
};

function PracticesSection() {
  const app = useApp();
  const practices = usePractices();
  const { query } = useLocation();
  const group = query.get('group') ?? '';
  const status = query.get('status') ?? '';
  const [words, setWords] = useState(query.get('q') ?? '');
  const shown = useMemo(() => {
    const needle = words.trim().toLowerCase();
    return (practices.data ?? []).filter(
      (practice) =>
        (group === '' || practice.group === group) &&
        (status === '' || practice.statuses.includes(status as Status)) &&
        (needle === '' ||
          [practice.name, practice.purpose, ...practice.prince2, ...practice.pmbok].some((text) =>
            text.toLowerCase().includes(needle),
          )),
    );
  }, [practices.data, group, status, words]);
  // A link to one practice (from a deliverable's readiness, say) scrolls to it once the list is shown.
  useEffect(() => {
    const target = window.location.hash.slice(1);
    if (practices.data && target) document.getElementById(target)?.scrollIntoView({ block: 'start' });
  }, [practices.data]);
  return (
    <Loaded resource={practices} what="practices">
      {(all) => (
        <>
          <p className="muted">
            ITIL 4's {all.length} management practices, where each meets PRINCE2's themes and processes and
            PMBOK's performance domains, and the handover statuses where it matters. A checklist criterion
            names one of them.
          </p>
          <form className="filters" role="search" aria-label="Practices" onSubmit={(e) => e.preventDefault()}>
            <TextField
              label="Search"
              type="search"
              value={words}
              placeholder="name, purpose, theme or domain"
              onChange={(e) => {
                setWords(e.target.value);
                setQuery({ q: e.target.value });
              }}
            />
            <SelectField
              label="Group"
              value={group}
              onChange={(e) => setQuery({ group: e.target.value })}
              options={[
                { value: '', label: 'All groups' },
                ...GROUPS.map((key) => ({ value: key, label: GROUP_WORDS[key] })),
              ]}
            />
            <SelectField
              label="Matters in"
              value={status}
              onChange={(e) => setQuery({ status: e.target.value })}
              options={[
                { value: '', label: 'Any status' },
                ...(app.glossary?.statuses ?? []).map((entry) => ({
                  value: entry.status,
                  label: app.status(entry.status).text,
                })),
              ]}
            />
          </form>
          <p className="small muted" role="status">
            {shown.length === all.length
              ? `${all.length} practices`
              : `${shown.length} of ${all.length} practices`}
          </p>
          {shown.length === 0 ? (
            <Empty title="No practice matches">
              <p>Try other words, or all groups and statuses.</p>
            </Empty>
          ) : (
            <ul className="practice-cards">
              {shown.map((practice) => (
                <PracticeCard key={practice.key} practice={practice} />
              ))}
            </ul>
          )}
        </>
      )}
    </Loaded>
  );
}

function PracticeCard({ practice }: { practice: Practice }) {
  return (
    <li className="card practice-card" id={practice.key} aria-labelledby={`${practice.key}-name`}>
      <div className="practice-card-head">
        <h2 id={`${practice.key}-name`}>{practice.name}</h2>
        <span className="chip">{GROUP_WORDS[practice.group]}</span>
      </div>
      <p>{practice.purpose}</p>
      <dl className="touchpoints">
        <dt>PRINCE2</dt>
        <dd>{practice.prince2.join(' · ')}</dd>
        <dt>PMBOK</dt>
        <dd>{practice.pmbok.join(' · ')}</dd>
        <dt>Matters in</dt>
        <dd className="badges">
          {practice.statuses.map((status) => (
            <StatusBadge key={status} status={status} />
          ))}
        </dd>
      </dl>
      <p className="small muted">
        Key <code>{practice.key}</code>
      </p>
    </li>
  );
}
