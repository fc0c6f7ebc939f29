// Projects and services: the two catalogues a deliverable belongs to. Lists with a create form for those
// whose roles allow it (projects: pmo; services: smo).
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import type { Methodology } from '../api/types';
import { humanize } from '../lib/lens';
import { fieldErrorsOf } from '../lib/problem';
import { Link } from '../lib/router';
import { refresh } from '../lib/store';
import { formatDate } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useApp } from '../shell/app-context';
import { Empty, FormButtons, Loaded, ProblemMessage, SelectField, Term, TextField } from '../ui/components';
import { useProjects, useServices } from './catalogue-data';

export function ProjectsPage() {
  const app = useApp();
  const projects = useProjects();
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    document.title = 'Projects · Baton';
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Projects</h1>
          <p className="muted">
            <Term words={app.term('project', 'Project')} />: what deliverables come from.
          </p>
        </div>
        {app.has('pmo') ? (
          <button
            type="button"
            className="button button-primary"
            aria-expanded={creating}
            onClick={() => setCreating(!creating)}
          >
            New project
          </button>
        ) : null}
      </div>
      {creating ? <ProjectForm onDone={() => setCreating(false)} /> : null}
      <Loaded resource={projects} what="projects">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No projects yet">
              <p>
                {app.has('pmo')
                  ? 'Create the first with “New project”; deliverables are created under a project.'
                  : 'Project managers register projects here.'}
              </p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Projects</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Name</th>
                    <th scope="col">Methodology</th>
                    <th scope="col">Manager</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((project) => (
                    <tr key={project.id}>
                      <td>
                        <Link href={`/board?project=${project.id}`}>{project.key}</Link>
                      </td>
                      <td>{project.name}</td>
                      <td>{project.methodology.toUpperCase()}</td>
                      <td>{project.managerName ?? '—'}</td>
                      <td>{formatDate(project.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </div>
  );
}

function ProjectForm({ onDone }: { onDone: () => void }) {
  const action = useAction();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [methodology, setMethodology] = useState<Methodology>('prince2');
  const [managerName, setManagerName] = useState('');
  const errors = fieldErrorsOf(action.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await ok(
        api.POST('/v1/projects', {
          body: { key: key.trim(), name: name.trim(), methodology, managerName: managerName.trim() || null },
        }),
      );
      refresh('projects');
      onDone();
    });
  };
  return (
    <form className="card form-card" onSubmit={submit} noValidate aria-label="New project">
      <h2 className="h3">New project</h2>
      <div className="grid-2">
        <TextField
          label="Key"
          value={key}
          error={errors.key}
          hint="Short and unique, e.g. CRM-2027"
          onChange={(e) => setKey(e.target.value)}
        />
        <TextField label="Name" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <SelectField
          label="Methodology"
          value={methodology}
          error={errors.methodology}
          onChange={(e) => setMethodology(e.target.value as Methodology)}
          options={(['prince2', 'pmbok', 'agile', 'hybrid'] as const).map((value) => ({
            value,
            label: value === 'agile' || value === 'hybrid' ? humanize(value) : value.toUpperCase(),
          }))}
        />
        <TextField
          label="Project manager (optional)"
          value={managerName}
          error={errors.managerName}
          onChange={(e) => setManagerName(e.target.value)}
        />
      </div>
      <ProblemMessage error={action.error} />
      <FormButtons submit="Create project" busy={action.busy} onCancel={onDone} />
    </form>
  );
}

export function ServicesPage() {
  const app = useApp();
  const services = useServices();
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    document.title = 'Services · Baton';
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Services</h1>
          <p className="muted">
            <Term words={app.term('services', 'Services')} />: the catalogue deliverables go live into. The
            tier picks the policy.
          </p>
        </div>
        {app.has('smo') ? (
          <button
            type="button"
            className="button button-primary"
            aria-expanded={creating}
            onClick={() => setCreating(!creating)}
          >
            New service
          </button>
        ) : null}
      </div>
      {creating ? <ServiceForm onDone={() => setCreating(false)} /> : null}
      <Loaded resource={services} what="services">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No services yet">
              <p>
                {app.has('smo')
                  ? 'Add the first with “New service”.'
                  : 'The service management office keeps the catalogue here.'}
              </p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Services</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Support group</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((service) => (
                    <tr key={service.id}>
                      <td>
                        <Link href={`/board?service=${service.id}`}>{service.name}</Link>
                      </td>
                      <td>Tier {service.tier}</td>
                      <td>{service.ownerName ?? '—'}</td>
                      <td>{service.supportGroup ?? '—'}</td>
                      <td>{formatDate(service.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </div>
  );
}

function ServiceForm({ onDone }: { onDone: () => void }) {
  const action = useAction();
  const [name, setName] = useState('');
  const [tier, setTier] = useState('3');
  const [ownerName, setOwnerName] = useState('');
  const [supportGroup, setSupportGroup] = useState('');
  const errors = fieldErrorsOf(action.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await ok(
        api.POST('/v1/services', {
          body: {
            name: name.trim(),
            tier: Number(tier),
            ownerName: ownerName.trim() || null,
            supportGroup: supportGroup.trim() || null,
          },
        }),
      );
      refresh('services');
      onDone();
    });
  };
  return (
    <form className="card form-card" onSubmit={submit} noValidate aria-label="New service">
      <h2 className="h3">New service</h2>
      <div className="grid-2">
        <TextField label="Name" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <SelectField
          label="Tier"
          value={tier}
          error={errors.tier}
          onChange={(e) => setTier(e.target.value)}
          options={['1', '2', '3', '4'].map((value) => ({
            value,
            label: `Tier ${value}${value === '1' ? ' (most critical)' : ''}`,
          }))}
        />
        <TextField
          label="Service owner (optional)"
          value={ownerName}
          error={errors.ownerName}
          onChange={(e) => setOwnerName(e.target.value)}
        />
        <TextField
          label="Support group (optional)"
          value={supportGroup}
          error={errors.supportGroup}
          onChange={(e) => setSupportGroup(e.target.value)}
        />
      </div>
      <ProblemMessage error={action.error} />
      <FormButtons submit="Create service" busy={action.busy} onCancel={onDone} />
    </form>
  );
}
