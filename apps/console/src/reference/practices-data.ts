// The catalogue of ITIL 4 practices (GET /v1/practices): read once, shared by every page that names one.
import { api, ok } from '../api/client';
import { useResource } from '../lib/store';

export const usePractices = () =>
  useResource('practices', async () => (await ok(api.GET('/v1/practices'))).items);
