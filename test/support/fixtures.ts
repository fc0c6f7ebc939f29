import { randomBytes } from 'node:crypto';
import { type ApiClient } from './http-client.js';

export interface Actors {
  admin: ApiClient;
  pmo: ApiClient;
  pmo2: ApiClient;
  smo: ApiClient;
  ids: Record<'pmo' | 'pmo2' | 'smo', string>;
}

export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function createPrincipal(
  admin: ApiClient,
  name: string,
  roles: string[],
): Promise<{ id: string; client: ApiClient }> {
  const response = await admin.post('/v1/principals', { name, roles });
  if (response.status !== 201)
    throw new Error(`principal: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id, client: admin.as(response.body.token) };
}

export async function createActors(admin: ApiClient): Promise<Actors> {
  const [pmo, pmo2, smo] = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
  ]);
  return {
    admin,
    pmo: pmo.client,
    pmo2: pmo2.client,
    smo: smo.client,
    ids: { pmo: pmo.id, pmo2: pmo2.id, smo: smo.id },
  };
}

export async function createService(smo: ApiClient, tier = 4): Promise<string> {
  const response = await smo.post('/v1/services', { name: unique('service'), tier });
  if (response.status !== 201)
    throw new Error(`service: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

export async function createProject(pmo: ApiClient): Promise<string> {
  const response = await pmo.post('/v1/projects', {
    key: unique('PRJ'),
    name: 'Project',
    methodology: 'prince2',
  });
  if (response.status !== 201)
    throw new Error(`project: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

export async function createDeliverable(
  pmo: ApiClient,
  refs: { projectId: string; serviceId: string },
  extra: Record<string, unknown> = {},
): Promise<any> {
  const response = await pmo.post('/v1/deliverables', {
    ...refs,
    title: unique('deliverable'),
    changeType: 'new_service',
    targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ...extra,
  });
  if (response.status !== 201)
    throw new Error(`deliverable: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
