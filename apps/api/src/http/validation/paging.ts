import { AppError, AppErrorCode } from '@baton/errors';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@baton/persistence';

export function pageRequest(query: { limit: number; cursor?: string | undefined }): PageRequest {
  if (query.cursor === undefined) return { limit: query.limit };
  const cursor = decodeCursor(query.cursor);
  if (!cursor) {
    throw new AppError(AppErrorCode.Invalid, 'The cursor is not one this server gave out', {
      errors: [{ path: 'cursor', message: 'unknown cursor; pass nextCursor from the previous page' }],
    });
  }
  return { limit: query.limit, cursor };
}

export function pageResponse<T, R>(
  page: Page<T>,
  present: (item: T) => R,
): { items: R[]; nextCursor: string | null } {
  return { items: page.items.map(present), nextCursor: page.next ? encodeCursor(page.next) : null };
}
