// Checklist templates: each name with its versions side by side (criteria as rows, versions as columns,
// changes marked), and a form that makes the next version of a name (or a new name).
import { useState, type FormEvent } from 'react';
import { allPages, api, ok } from '../api/client';
import type { ChangeType, Checklist, ChecklistCriterion, ChecklistRequest, Practice } from '../api/types';
import { humanize } from '../lib/lens';
import { fieldErrorsOf } from '../lib/problem';
import { refresh, useResource } from '../lib/store';
import { durationWords, formatDate } from '../lib/time';
import { useAction } from '../lib/use-action';
import { usePractices } from '../reference/practices-data';
import { FormButtons, Loaded, ProblemMessage, SelectField, TextField } from '../ui/components';

const CHANGE_TYPES: ChangeType[] = ['new_service', 'major_change', 'minor_change', 'retirement'];

const loadChecklists = async () => {
  let defaults: { name: string; version: number; criteria: ChecklistCriterion[] } | undefined;
  const items = await allPages<Checklist>(async (cursor) => {
    const page = await ok(api.GET('/v1/checklists', { params: { query: { limit: 500, cursor } } }));
    defaults = page.default;
    return page;
  });
  return { items, defaults };
};

/** The catalogue's practices by name; a value it does not hold (from a template stored before it) kept, marked. */
function practiceOptions(practices: Practice[], current: string): { value: string; label: string }[] {
  const options = [...practices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((practice) => ({ value: practice.key, label: practice.name }));
  if (current === '') return [{ value: '', label: 'Choose a practice' }, ...options];
  if (practices.length > 0 && !practices.some((practice) => practice.key === current))
    return [{ value: current, label: `${current} (not an ITIL 4 practice)` }, ...options];
  return options;
}

const describe = (criterion: ChecklistCriterion | undefined) =>
  criterion
    ? `${criterion.title} · ${humanize(criterion.practice)} · ${criterion.mandatory ? 'mandatory' : 'advisory'} · ${criterion.kind}${criterion.probeUrl ? ` (${criterion.probeUrl})` : ''}${criterion.validFor ? ` · valid for ${durationWords(criterion.validFor)}` : ''}`
    : '';

export function ChecklistsSection() {
  const checklists = useResource('checklists', loadChecklists);
  const [draft, setDraft] = useState<ChecklistRequest | null>(null);
  return (
    <section aria-labelledby="checklists-title">
      <div className="section-head">
        <h2 id="checklists-title">Checklist templates</h2>
        <button
          type="button"
          className="button button-primary"
          onClick={() =>
            setDraft({
              name: '',
              changeTypes: ['new_service'],
              tiers: [1, 2],
              criteria: checklists.data?.defaults?.criteria.map((c) => ({ ...c })) ?? [
                {
                  key: 'runbooks',
                  title: 'Runbooks published',
                  practice: 'knowledge_management',
                  mandatory: true,
                  kind: 'manual',
                },
              ],
            })
          }
        >
          New checklist
        </button>
      </div>
      {draft ? <ChecklistForm draft={draft} onDone={() => setDraft(null)} /> : null}
      <Loaded resource={checklists} what="checklists">
        {({ items, defaults }) => {
          const byName = new Map<string, Checklist[]>();
          for (const item of items) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
          return (
            <>
              {byName.size === 0 ? (
                <p className="muted">
                  No templates yet: every deliverable takes Baton’s default checklist (
                  {defaults?.criteria.length ?? 0} criteria). A template applies to the change types and tiers
                  it names.
                </p>
              ) : null}
              {[...byName.entries()].map(([name, versions]) => {
                const sorted = [...versions].sort((a, b) => a.version - b.version).slice(-3);
                const keys = [...new Set(sorted.flatMap((v) => v.criteria.map((c) => c.key)))];
                const latest = sorted[sorted.length - 1];
                return (
                  <article key={name} className="card section" aria-labelledby={`cl-${latest.id}`}>
                    <div className="section-head">
                      <h3 id={`cl-${latest.id}`}>
                        {name} <span className="tag">v{latest.version}</span>
                      </h3>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() =>
                          setDraft({
                            name,
                            changeTypes: [...latest.changeTypes],
                            tiers: [...latest.tiers],
                            criteria: latest.criteria.map((c) => ({ ...c })),
                          })
                        }
                      >
                        New version<span className="visually-hidden"> of {name}</span>
                      </button>
                    </div>
                    <div className="table-wrap">
                      <table className="table versions">
                        <caption className="visually-hidden">Versions of {name} side by side</caption>
                        <thead>
                          <tr>
                            <th scope="col">Criterion</th>
                            {sorted.map((v) => (
                              <th scope="col" key={v.id}>
                                Version {v.version}
                                <div className="small muted">
                                  {formatDate(v.createdAt)} · {v.changeTypes.map(humanize).join(', ')} · tiers{' '}
                                  {v.tiers.join(', ')}
                                </div>
                              </th>
                            ))}
                          </tr>
                        </thead>
                        <tbody>
                          {keys.map((key) => (
                            <tr key={key}>
                              <th scope="row" className="mono">
                                {key}
                              </th>
                              {sorted.map((v, index) => {
                                const here = v.criteria.find((c) => c.key === key);
                                const before =
                                  index > 0 ? sorted[index - 1].criteria.find((c) => c.key === key) : here;
                                const changed = index > 0 && describe(here) !== describe(before);
                                return (
                                  <td key={v.id} className={changed ? 'changed' : ''}>
                                    {here ? describe(here) : <span className="muted">—</span>}
                                    {changed ? (
                                      <span className="tag tag-change">
                                        {before ? (here ? 'changed' : 'removed') : 'added'}
                                      </span>
                                    ) : null}
                                  </td>
                                );
                              })}
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </article>
                );
              })}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function ChecklistForm({ draft, onDone }: { draft: ChecklistRequest; onDone: () => void }) {
  const [value, setValue] = useState<ChecklistRequest>(draft);
  const practices = usePractices();
  const action = useAction();
  const errors = fieldErrorsOf(action.error);
  const setCriterion = (index: number, patch: Partial<ChecklistCriterion>) =>
    setValue({ ...value, criteria: value.criteria.map((c, i) => (i === index ? { ...c, ...patch } : c)) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const criteria = value.criteria.map(
      ({ key, title, practice, mandatory, kind, probeUrl, blocks, validFor }) => ({
        key,
        title,
        practice,
        mandatory,
        kind,
        ...(kind === 'automated' && probeUrl ? { probeUrl } : {}),
        ...(blocks ? { blocks } : {}),
        ...(validFor?.trim() ? { validFor: validFor.trim() } : {}),
      }),
    );
    void action.run(async () => {
      await ok(api.POST('/v1/checklists', { body: { ...value, name: value.name.trim(), criteria } }));
      refresh('checklists');
      onDone();
    });
  };
  return (
    <form className="card form-card" onSubmit={submit} noValidate aria-label="Checklist template">
      <h3 className="h4">{draft.name ? `New version of ${draft.name}` : 'New checklist'}</h3>
      <TextField
        label="Name"
        value={value.name}
        error={errors.name}
        hint="An existing name makes its next version"
        onChange={(e) => setValue({ ...value, name: e.target.value })}
      />
      <fieldset className="checks-row">
        <legend>Change types</legend>
        {CHANGE_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={value.changeTypes.includes(type)}
              onChange={(e) =>
                setValue({
                  ...value,
                  changeTypes: e.target.checked
                    ? [...value.changeTypes, type]
                    : value.changeTypes.filter((t) => t !== type),
                })
              }
            />{' '}
            {humanize(type)}
          </label>
        ))}
      </fieldset>
      {errors.changeTypes ? <p className="field-error">{errors.changeTypes}</p> : null}
      <fieldset className="checks-row">
        <legend>Service tiers</legend>
        {[1, 2, 3, 4].map((tier) => (
          <label key={tier}>
            <input
              type="checkbox"
              checked={value.tiers.includes(tier)}
              onChange={(e) =>
                setValue({
                  ...value,
                  tiers: e.target.checked
                    ? [...value.tiers, tier].sort()
                    : value.tiers.filter((t) => t !== tier),
                })
              }
            />{' '}
            Tier {tier}
          </label>
        ))}
      </fieldset>
      {errors.tiers ? <p className="field-error">{errors.tiers}</p> : null}
      <fieldset>
        <legend>Criteria</legend>
        <ol className="criteria-editor">
          {value.criteria.map((criterion, index) => (
            <li key={index} className="criteria-editor-row">
              <TextField
                label="Key"
                value={criterion.key}
                error={errors[`criteria.${index}.key`]}
                onChange={(e) => setCriterion(index, { key: e.target.value })}
              />
              <TextField
                label="Title"
                value={criterion.title}
                error={errors[`criteria.${index}.title`]}
                onChange={(e) => setCriterion(index, { title: e.target.value })}
              />
              <SelectField
                label="ITIL 4 practice"
                value={criterion.practice}
                error={errors[`criteria.${index}.practice`]}
                onChange={(e) => setCriterion(index, { practice: e.target.value })}
                options={practiceOptions(practices.data ?? [], criterion.practice)}
              />
              <div className="field">
                <label htmlFor={`kind-${index}`}>Kind</label>
                <select
                  id={`kind-${index}`}
                  value={criterion.kind}
                  onChange={(e) =>
                    setCriterion(index, { kind: e.target.value as ChecklistCriterion['kind'] })
                  }
                >
                  <option value="manual">Manual</option>
                  <option value="automated">Automated</option>
                </select>
              </div>
              {criterion.kind === 'automated' ? (
                <TextField
                  label="Probe URL"
                  type="url"
                  value={criterion.probeUrl ?? ''}
                  error={errors[`criteria.${index}.probeUrl`]}
                  onChange={(e) => setCriterion(index, { probeUrl: e.target.value })}
                />
              ) : null}
              <TextField
                label="Valid for"
                value={criterion.validFor ?? ''}
                error={errors[`criteria.${index}.validFor`]}
                hint="Optional, ISO 8601: P90D. A pass expires this long after it was given."
                onChange={(e) => setCriterion(index, { validFor: e.target.value })}
              />
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={criterion.mandatory}
                  onChange={(e) => setCriterion(index, { mandatory: e.target.checked })}
                />{' '}
                Mandatory
              </label>
              <button
                type="button"
                className="button button-small button-danger-ghost"
                onClick={() => setValue({ ...value, criteria: value.criteria.filter((_, i) => i !== index) })}
              >
                Remove<span className="visually-hidden"> criterion {criterion.key}</span>
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            setValue({
              ...value,
              criteria: [
                ...value.criteria,
                { key: '', title: '', practice: '', mandatory: true, kind: 'manual' },
              ],
            })
          }
        >
          Add criterion
        </button>
      </fieldset>
      {errors.criteria ? <p className="field-error">{errors.criteria}</p> : null}
      <ProblemMessage error={action.error} />
      <FormButtons submit="Save checklist" busy={action.busy} onCancel={onDone} />
    </form>
  );
}
