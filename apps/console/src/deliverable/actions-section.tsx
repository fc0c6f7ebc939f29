// Follow-on actions and lessons learned: what the live service carries on with after go-live (a known
// defect, a task for business as usual) and what the project learned. Buttons follow `allowedActions`; who
// may close which action is the API's to say (the owner sees close on its own ones only).
import { useState, type FormEvent } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { Deliverable } from '../api/types';
import { fieldErrorsOf } from '../lib/problem';
import { formatDateTime, fromLocalInput } from '../lib/time';
import { useApp } from '../shell/app-context';
import { usePrincipalName } from '../shell/principal-names';
import { FormButtons, ProblemMessage, Term, TextArea, TextField } from '../ui/components';
import { useBaseVersion, useCommand, useDeliverable } from './deliverable-context';

type FollowOnAction = Deliverable['actions'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where the sections show: from a scheduled go-live on, or wherever there is something to show. */
export function FollowOnActionsSection() {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const nameOf = usePrincipalName();
  const can = (action: string) => deliverable.allowedActions.includes(action as never);
  const [adding, setAdding] = useState(false);
  const [assigning, setAssigning] = useState<string | null>(null);
  const [closing, setClosing] = useState<string | null>(null);
  if (deliverable.actions.length === 0 && !can('create_action')) return null;
  // Names as the rest of the page gives them (you, a principal an admin sees, else a short id).
  const owner = (action: FollowOnAction) =>
    action.ownerId === null ? (
      <span className="check-fail">Nobody yet</span>
    ) : action.ownerId === app.me.id ? (
      'You'
    ) : (
      <span title={action.ownerId}>{nameOf(action.ownerId)}</span>
    );
  const unowned = deliverable.actions.filter((action) => action.status === 'open' && !action.ownerId);
  return (
    <section className="card section" aria-labelledby="actions-title">
      <h2 id="actions-title">
        Actions · <Term words={app.term('follow-on actions', 'Follow-on actions')} />
      </h2>
      {unowned.length > 0 &&
      ['early_life_support', 'els_review'].includes(deliverable.status) &&
      deliverable.els.exitCriteria?.actionsOwned === false ? (
        <p className="check-fail">
          <span aria-hidden="true">✕ </span>
          {unowned.length === 1 ? 'One open action has' : `${unowned.length} open actions have`} no owner:
          early life support goes on until each has one.
        </p>
      ) : null}
      {deliverable.actions.length === 0 ? <p className="muted">No follow-on actions yet.</p> : null}
      {deliverable.actions.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Follow-on actions</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {deliverable.actions.map((action) => (
                <tr key={action.key}>
                  <td>
                    <span className="muted">{action.key}</span> {action.title}
                  </td>
                  <td>{owner(action)}</td>
                  <td>{action.dueAt ? formatDateTime(action.dueAt) : <span className="muted">—</span>}</td>
                  <td>
                    {action.status === 'closed' ? (
                      <>
                        Closed {action.closedAt ? formatDateTime(action.closedAt) : ''}
                        {action.note ? <span className="small muted"> · “{action.note}”</span> : null}
                      </>
                    ) : (
                      <div className="row">
                        <span>Open</span>
                        {can('assign_action') ? (
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={assigning === action.key}
                            onClick={() => setAssigning(assigning === action.key ? null : action.key)}
                          >
                            Assign<span className="visually-hidden"> {action.key}</span>
                          </button>
                        ) : null}
                        {can('close_action') && (action.ownerId === app.me.id || can('assign_action')) ? (
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={closing === action.key}
                            onClick={() => setClosing(closing === action.key ? null : action.key)}
                          >
                            Close<span className="visually-hidden"> {action.key}</span>
                          </button>
                        ) : null}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {assigning && can('assign_action') ? (
        <AssignForm actionKey={assigning} onDone={() => setAssigning(null)} />
      ) : null}
      {closing && can('close_action') ? (
        <CloseForm actionKey={closing} onDone={() => setClosing(null)} />
      ) : null}
      {can('create_action') ? (
        adding ? (
          <ActionForm onDone={() => setAdding(false)} />
        ) : (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add action
          </button>
        )
      ) : null}
    </section>
  );
}

/** An owner is given by principal id (the console has no directory of principals for pmo and smo). */
function OwnerField({
  value,
  onChange,
  error,
  optional,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  optional?: boolean;
}) {
  const app = useApp();
  return (
    <div className="owner-field">
      <TextField
        label={optional ? 'Owner (principal id, optional)' : 'Owner (principal id)'}
        value={value}
        error={error}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" className="button button-ghost button-small" onClick={() => onChange(app.me.id)}>
        Me
      </button>
    </div>
  );
}

function ActionForm({ onDone }: { onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [due, setDue] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(command.error), ...local };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!title.trim()) problems.title = 'Say what is to be done.';
    if (ownerId.trim() && !UUID.test(ownerId.trim())) problems.ownerId = 'Give a principal id (a UUID).';
    const dueAt = due ? fromLocalInput(due) : undefined;
    if (due && !dueAt) problems.dueAt = 'Give a date and time.';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    void command.run(async () => {
      // Created answers the action (201); the page shows the deliverable, read after it.
      await ok(
        api.POST('/v1/deliverables/{id}/actions', {
          params: { path: { id: deliverable.id }, header: ifMatch(base) },
          body: {
            title: title.trim(),
            ...(ownerId.trim() ? { ownerId: ownerId.trim() } : {}),
            ...(dueAt ? { dueAt } : {}),
          },
        }),
      );
      return ok(api.GET('/v1/deliverables/{id}', { params: { path: { id: deliverable.id } } }));
    }, onDone);
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Add follow-on action">
      <TextField
        label="Action"
        value={title}
        error={errors.title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <div className="grid-2">
        <OwnerField value={ownerId} onChange={setOwnerId} error={errors.ownerId} optional />
        <TextField
          label="Due (optional)"
          type="datetime-local"
          value={due}
          error={errors.dueAt}
          hint="Its owner is reminded then."
          onChange={(e) => setDue(e.target.value)}
        />
      </div>
      <ProblemMessage error={command.error} />
      <FormButtons submit="Add action" busy={command.busy} onCancel={onDone} />
    </form>
  );
}

function AssignForm({ actionKey, onDone }: { actionKey: string; onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const current = deliverable.actions.find((action) => action.key === actionKey);
  const [ownerId, setOwnerId] = useState(current?.ownerId ?? '');
  const [local, setLocal] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!UUID.test(ownerId.trim())) {
      setLocal('Give a principal id (a UUID).');
      return;
    }
    setLocal(undefined);
    void command.run(
      () =>
        ok(
          api.POST('/v1/deliverables/{id}/actions/{key}/assign', {
            params: { path: { id: deliverable.id, key: actionKey }, header: ifMatch(base) },
            body: { ownerId: ownerId.trim() },
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={`Assign ${actionKey}`}>
      <OwnerField
        value={ownerId}
        onChange={setOwnerId}
        error={local ?? fieldErrorsOf(command.error).ownerId}
      />
      <ProblemMessage error={command.error} />
      <FormButtons submit={<>Assign {actionKey}</>} busy={command.busy} onCancel={onDone} />
    </form>
  );
}

function CloseForm({ actionKey, onDone }: { actionKey: string; onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [note, setNote] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(
      () =>
        ok(
          api.POST('/v1/deliverables/{id}/actions/{key}/close', {
            params: { path: { id: deliverable.id, key: actionKey }, header: ifMatch(base) },
            body: note.trim() ? { note: note.trim() } : {},
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={`Close ${actionKey}`}>
      <TextArea
        label="What was done (optional)"
        rows={2}
        value={note}
        error={fieldErrorsOf(command.error).note}
        onChange={(e) => setNote(e.target.value)}
      />
      <ProblemMessage error={command.error} />
      <div className="row">
        <button type="submit" className="button button-primary" disabled={command.busy}>
          Close {actionKey}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Never mind
        </button>
      </div>
    </form>
  );
}

export function LessonsSection() {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const can = deliverable.allowedActions.includes('record_lesson');
  const [recording, setRecording] = useState(false);
  if (deliverable.lessons.length === 0 && !can) return null;
  return (
    <section className="card section" aria-labelledby="lessons-title">
      <h2 id="lessons-title">
        Lessons learned · <Term words={app.term('lessons', 'Lessons')} />
      </h2>
      {deliverable.lessons.length === 0 ? (
        <p className="muted">No lessons recorded yet.</p>
      ) : (
        <ul className="compact-list lessons">
          {deliverable.lessons.map((lesson, index) => (
            <li key={`${lesson.at}-${index}`}>
              <p>{lesson.text}</p>
              <p className="small muted">
                {lesson.recordedBy === app.me.id ? 'You' : 'Recorded'}, {formatDateTime(lesson.at)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {can ? (
        recording ? (
          <LessonForm onDone={() => setRecording(false)} />
        ) : (
          <button type="button" className="button" onClick={() => setRecording(true)}>
            Record a lesson
          </button>
        )
      ) : null}
    </section>
  );
}

/** Opened on demand, so it is based on the version the reader saw when opening it. */
function LessonForm({ onDone }: { onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setLocal('Write the lesson down.');
      return;
    }
    setLocal(undefined);
    void command.run(
      () =>
        ok(
          api.POST('/v1/deliverables/{id}/lessons', {
            params: { path: { id: deliverable.id }, header: ifMatch(base) },
            body: { text: text.trim() },
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Record a lesson">
      <TextArea
        label="Lesson learned"
        rows={2}
        value={text}
        error={local ?? fieldErrorsOf(command.error).text}
        onChange={(e) => setText(e.target.value)}
      />
      <ProblemMessage error={command.error} />
      <FormButtons submit="Record lesson" busy={command.busy} onCancel={onDone} />
    </form>
  );
}
