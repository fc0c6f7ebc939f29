// Create a deliverable (draft), or edit one in draft or rework: the fields of POST and PATCH
// /v1/deliverables, with the API's field errors shown beside each field.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { ChangeType, Deliverable } from '../api/types';
import { useProjects, useServices } from '../catalogue/catalogue-data';
import { humanize } from '../lib/lens';
import { ApiError } from '../lib/problem';
import { prime } from '../lib/store';
import { fromLocalInput, toLocalInput } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useApp } from '../shell/app-context';
import { FormButtons, ProblemMessage, SelectField, TextArea, TextField } from '../ui/components';

const CHANGE_TYPES: ChangeType[] = ['new_service', 'major_change', 'minor_change', 'retirement'];

export function DeliverableForm({
  existing,
  baseVersion,
  defaults,
  onDone,
  onCancel,
  onConflict,
}: {
  existing?: Deliverable;
  /** The version the form was opened on: a change made meanwhile is refused (412), never overwritten. */
  baseVersion?: number;
  defaults?: { projectId?: string; serviceId?: string };
  onDone: (deliverable: Deliverable) => void;
  onCancel: () => void;
  onConflict?: (error: ApiError) => void;
}) {
  const app = useApp();
  const projects = useProjects();
  const services = useServices();
  const [projectId, setProjectId] = useState(existing?.projectId ?? defaults?.projectId ?? '');
  const [serviceId, setServiceId] = useState(existing?.serviceId ?? defaults?.serviceId ?? '');
  const [title, setTitle] = useState(existing?.title ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [changeType, setChangeType] = useState<ChangeType>(existing?.changeType ?? 'new_service');
  const [targetGoLive, setTargetGoLive] = useState(toLocalInput(existing?.targetGoLive));
  // What the form was filled from: an edit sends only what the reader changed, so a colleague's change to
  // another field is never undone; after a Reload, the fields the reader did not touch take the fresh values.
  const fromRecord = (d: Deliverable | undefined) => ({
    title: d?.title ?? '',
    description: d?.description ?? '',
    changeType: d?.changeType ?? 'new_service',
    targetGoLive: toLocalInput(d?.targetGoLive),
  });
  const [initial, setInitial] = useState(() => fromRecord(existing));
  useEffect(() => {
    if (!existing || baseVersion === undefined) return;
    const fresh = fromRecord(existing);
    setInitial((before) => {
      if (title === before.title) setTitle(fresh.title);
      if (description === before.description) setDescription(fresh.description);
      if (changeType === before.changeType) setChangeType(fresh.changeType);
      if (targetGoLive === before.targetGoLive) setTargetGoLive(fresh.targetGoLive);
      return fresh;
    });
    // only when the form is rebased on a fresh version (the typed values are read, not watched)
  }, [baseVersion]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!existing && !projectId) local.projectId = 'Choose the project it belongs to.';
    if (!existing && !serviceId) local.serviceId = 'Choose the service it becomes part of.';
    if (!title.trim()) local.title = 'Give it a title.';
    const target = fromLocalInput(targetGoLive);
    if (!target) local.targetGoLive = 'Give a target go-live date and time.';
    setErrors(local);
    if (Object.keys(local).length > 0 || !target) return;
    const changed =
      title !== initial.title ||
      description !== initial.description ||
      changeType !== initial.changeType ||
      targetGoLive !== initial.targetGoLive;
    if (existing && !changed) {
      onDone(existing);
      return;
    }
    void action.run(async () => {
      try {
        const saved = existing
          ? await ok(
              api.PATCH('/v1/deliverables/{id}', {
                params: { path: { id: existing.id }, header: ifMatch(baseVersion ?? existing.version) },
                body: {
                  ...(title !== initial.title ? { title: title.trim() } : {}),
                  ...(description !== initial.description ? { description: description.trim() || null } : {}),
                  ...(changeType !== initial.changeType ? { changeType } : {}),
                  ...(targetGoLive !== initial.targetGoLive ? { targetGoLive: target } : {}),
                },
              }),
            )
          : await ok(
              api.POST('/v1/deliverables', {
                body: {
                  projectId,
                  serviceId,
                  title: title.trim(),
                  description: description.trim() || null,
                  changeType,
                  targetGoLive: target,
                },
              }),
            );
        prime(`deliverable:${saved.id}`, saved);
        onDone(saved);
      } catch (error) {
        if (error instanceof ApiError) {
          setErrors(error.fieldErrors);
          if (error.changedMeanwhile) onConflict?.(error);
        }
        throw error;
      }
    });
  };

  const projectTerm = app.term('project', 'Project');
  return (
    <form
      className="card form-card"
      onSubmit={submit}
      noValidate
      aria-label={existing ? 'Edit deliverable' : 'New deliverable'}
    >
      <h2 className="h3">{existing ? 'Edit deliverable' : 'New deliverable'}</h2>
      <div className="grid-2">
        {existing ? null : (
          <>
            <SelectField
              label={`Project (${projectTerm.text})`}
              value={projectId}
              error={errors.projectId}
              onChange={(event) => setProjectId(event.target.value)}
              options={[
                { value: '', label: projects.data ? 'Choose a project…' : 'Loading…' },
                ...(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` })),
              ]}
            />
            <SelectField
              label="Service"
              value={serviceId}
              error={errors.serviceId}
              onChange={(event) => setServiceId(event.target.value)}
              options={[
                { value: '', label: services.data ? 'Choose a service…' : 'Loading…' },
                ...(services.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (tier ${s.tier})` })),
              ]}
            />
          </>
        )}
        <TextField
          label="Title"
          value={title}
          maxLength={200}
          error={errors.title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <SelectField
          label="Change type"
          value={changeType}
          error={errors.changeType}
          onChange={(event) => setChangeType(event.target.value as ChangeType)}
          options={CHANGE_TYPES.map((value) => ({ value, label: humanize(value) }))}
        />
        <TextField
          label="Target go-live"
          type="datetime-local"
          value={targetGoLive}
          error={errors.targetGoLive}
          hint="In your time zone"
          onChange={(event) => setTargetGoLive(event.target.value)}
        />
      </div>
      <TextArea
        label="Description"
        rows={3}
        value={description}
        maxLength={10000}
        error={errors.description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <ProblemMessage error={action.error} />
      <FormButtons
        submit={existing ? 'Save changes' : 'Create deliverable'}
        busy={action.busy}
        onCancel={onCancel}
      />
    </form>
  );
}
