// The typed client of the public API: openapi-fetch over the generated `paths`, the token added to every
// request, and every refusal turned into an ApiError carrying the problem document.
import createClient, { type Middleware } from 'openapi-fetch';
import { getToken, setToken } from '../auth/session';
import { ApiError } from '../lib/problem';
import type { Problem } from './types';
import type { paths } from './schema';

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; an ApiError otherwise (a 401 also signs the tab out). */
export async function ok<T>(call: Promise<Answer<T>>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const problem = error && typeof error === 'object' && 'status' in error ? (error as Problem) : null;
    if (response.status === 401 && getToken()) setToken(null);
    throw new ApiError(response.status, problem);
  }
  return data as NonNullable<T>;
}

/** If-Match for a mutation of a deliverable at the version the reader saw. */
export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

/** Every page of a cursor-paged list, `limit` at a time. */
export async function allPages<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
  onPage?: (items: T[]) => void,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    onPage?.(items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
