import { allPages, api, ok } from '../api/client';
import type { Project, Service } from '../api/types';
import { useResource } from '../lib/store';

export const loadProjects = () =>
  allPages<Project>((cursor) => ok(api.GET('/v1/projects', { params: { query: { limit: 500, cursor } } })));
export const loadServices = () =>
  allPages<Service>((cursor) => ok(api.GET('/v1/services', { params: { query: { limit: 500, cursor } } })));

export const useProjects = () => useResource('projects', loadProjects);
export const useServices = () => useResource('services', loadServices);

export function byId<T extends { id: string }>(items: readonly T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((item) => [item.id, item]));
}
