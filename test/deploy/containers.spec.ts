// The container setup, checked as far as a machine without a Docker engine allows: the Kubernetes example
// against the Kubernetes API's own schemas (kubernetes-models), the Dockerfile against the rules of hadolint
// that apply to it, docker-compose.yml by `docker-compose config` where that CLI is installed, and all of
// them against Baton itself: every variable they set is one Baton reads, every command a built entry point,
// every probe path one the api serves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments, parse } from 'yaml';
import { CONFIG_VARIABLES } from '@baton/config';
import { startBaton, type BatonProcess } from '../support/baton-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const K8S = join(ROOT, 'docker/k8s');
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
};
/** Variables the container platform or Node itself reads, not Baton's configuration. */
const NOT_BATONS = new Set(['NODE_ENV', 'NODE_OPTIONS']);
const KNOWN = new Set(CONFIG_VARIABLES);

interface Manifest {
  file: string;
  doc: any;
}

async function manifests(): Promise<Manifest[]> {
  const files = (await readdir(K8S)).filter((file) => file.endsWith('.yaml')).sort();
  const all: Manifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(K8S, file), 'utf8'))) {
      expect({ file, errors: document.errors.map(String) }).toEqual({ file, errors: [] });
      all.push({ file, doc: document.toJS() });
    }
  }
  return all;
}

const containersOf = (doc: any): any[] => doc.spec?.template?.spec?.containers ?? [];

describe('the Kubernetes example (docker/k8s)', () => {
  let all: Manifest[];
  let baton: BatonProcess;

  beforeAll(async () => {
    all = await manifests();
    baton = await startBaton({ app: 'api' });
  });

  afterAll(async () => {
    await baton?.stop();
  });

  it('is valid against the Kubernetes API schemas, and the check refuses what is not', () => {
    expect(all.map(({ file, doc }) => `${file}: ${doc.kind}`)).toEqual([
      'api.yaml: Deployment',
      'api.yaml: Service',
      'migrate-job.yaml: Job',
      'secret.yaml: Secret',
      'worker.yaml: Deployment',
    ]);
    for (const { file, doc } of all) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect({ file, kind: doc.kind, known: Model !== undefined }).toEqual({
        file,
        kind: doc.kind,
        known: true,
      });
      expect(() => new Model(doc).validate()).not.toThrow();
    }
    const api = all.find(({ doc }) => doc.kind === 'Deployment')!.doc;
    const broken = structuredClone(api);
    broken.spec.replicas = 'three';
    broken.spec.template.spec.containers[0].readinessProbe.httpGet.port = { name: 'http' };
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
  });

  it('sets only variables Baton reads, runs entry points the build makes, and probes paths the api serves', async () => {
    const secret = all.find(({ doc }) => doc.kind === 'Secret')!.doc;
    const named = new Set<string>(Object.keys(secret.stringData));
    for (const { doc } of all) {
      for (const container of containersOf(doc)) {
        for (const variable of container.env ?? []) named.add(variable.name);
        for (const from of container.envFrom ?? []) expect(from.secretRef.name).toBe(secret.metadata.name);
        // node [flags] <entry>: the entry is a file the build makes.
        const entry = container.command.find((part: string) => part.startsWith('dist/'));
        await expect(access(join(ROOT, entry))).resolves.toBeUndefined();
      }
    }
    expect([...named].filter((name) => !KNOWN.has(name) && !NOT_BATONS.has(name))).toEqual([]);

    const api = all.find(({ doc }) => doc.metadata.name === 'baton-api' && doc.kind === 'Deployment')!.doc;
    const [container] = containersOf(api);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      const answer = await fetch(`${baton.url}${probe.httpGet.path}`);
      expect({ path: probe.httpGet.path, status: answer.status }).toEqual({
        path: probe.httpGet.path,
        status: 200,
      });
    }
    // The drain delay outlasts the readiness probe's notice, and the stop fits the grace period.
    const env = Object.fromEntries(container.env.map((variable: any) => [variable.name, variable.value]));
    const notice = container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold * 1000;
    expect(Number(env.BATON_DRAIN_DELAY_MS)).toBeGreaterThan(notice);
    expect(Number(env.BATON_DRAIN_DELAY_MS) + Number(env.BATON_STOP_TIMEOUT_MS)).toBeLessThanOrEqual(
      api.spec.template.spec.terminationGracePeriodSeconds * 1000,
    );
    // The Service routes to the api's pods.
    const service = all.find(({ doc }) => doc.kind === 'Service')!.doc;
    expect(api.spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });
});

/** The hadolint rules that bear on a Node image, each as (rule, check over the Dockerfile's instructions). */
function lintDockerfile(text: string): string[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const args = new Map<string, string>();
  for (const { keyword, args: value } of instructions) {
    if (keyword === 'ARG' && value.includes('=')) args.set(value.split('=')[0], value.split('=')[1]);
  }
  const problems: string[] = [];
  const stages = instructions.filter(({ keyword }) => keyword === 'FROM');
  for (const { args: from } of stages) {
    const image = from.split(/\s+/)[0].replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? name);
    if (!image.includes(':') || image.endsWith(':latest'))
      problems.push(`DL3006/DL3007: ${image} is not pinned`);
  }
  for (const { keyword, args: value } of instructions) {
    if (keyword === 'ADD' && !/^https?:/.test(value)) problems.push(`DL3020: ADD for local files (${value})`);
    if (keyword === 'WORKDIR' && !value.startsWith('/'))
      problems.push(`DL3000: WORKDIR ${value} is relative`);
    if (keyword === 'RUN' && /\bnpm install\b/.test(value)) problems.push('DL3016: npm install, not npm ci');
    if (keyword === 'RUN' && /\bapt-get upgrade\b/.test(value)) problems.push('DL3005: apt-get upgrade');
    if (keyword === 'RUN' && /\bsudo\b/.test(value)) problems.push('DL3004: sudo');
    if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && !value.startsWith('['))
      problems.push(`DL3025: ${keyword} in shell form`);
  }
  const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));
  const user = finalStage.filter(({ keyword }) => keyword === 'USER').at(-1);
  if (!user || /^(root|0)$/.test(user.args)) problems.push('DL3002: the final stage runs as root');
  const healthcheck = finalStage.find(({ keyword }) => keyword === 'HEALTHCHECK');
  if (!healthcheck || !/CMD \[/.test(healthcheck.args)) problems.push('no HEALTHCHECK in exec form');
  if (instructions.filter(({ keyword }) => keyword === 'CMD').length > stages.length)
    problems.push('DL4003: several CMD in a stage');
  return problems;
}

describe('the Dockerfile and docker-compose.yml', () => {
  it('keeps the hadolint rules that apply to it, and the lint finds what breaks them', async () => {
    const dockerfile = await readFile(join(ROOT, 'docker/Dockerfile'), 'utf8');
    expect(lintDockerfile(dockerfile)).toEqual([]);
    const bad = `FROM node\nWORKDIR app\nRUN npm install\nCMD node main.js\n`;
    expect(lintDockerfile(bad)).toEqual([
      'DL3006/DL3007: node is not pinned',
      'DL3000: WORKDIR app is relative',
      'DL3016: npm install, not npm ci',
      'DL3025: CMD in shell form',
      'DL3002: the final stage runs as root',
      'no HEALTHCHECK in exec form',
    ]);
  });

  it('sets only variables Baton reads in docker-compose.yml, with commands the build makes', async () => {
    const compose = parse(await readFile(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      const unknown = Object.keys(service.environment).filter(
        (key) => !KNOWN.has(key) && !NOT_BATONS.has(key),
      );
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      const entry = (service.command ?? []).find((part: string) => part.startsWith('dist/'));
      if (entry) await expect(access(join(ROOT, entry))).resolves.toBeUndefined();
    }
  });

  it('is a valid Compose file for `docker-compose config`, where that CLI is installed', async () => {
    const result = await new Promise<{ code: number; output: string } | null>((resolve) =>
      execFile(
        'docker-compose',
        ['-f', 'docker-compose.yml', 'config', '--quiet'],
        { cwd: ROOT, env: { ...process.env, BATON_ADMIN_TOKEN: 'checked-by-the-test' } },
        (error, stdout, stderr) => {
          if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve(null);
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
        },
      ),
    );
    if (result === null) {
      console.warn('skipped: docker-compose is not installed (apt-get install docker-compose)');
      return;
    }
    expect(result).toEqual({ code: 0, output: '' });
  });
});
