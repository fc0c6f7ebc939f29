import { AppError, AppErrorCode } from '@baton/errors';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@baton/persistence';

export function pageRequest(query: { limit: number; cursor?: string | undefined }): PageRequest {
  const cursor = decodedCursor(query.cursor, decodeCursor);
  return cursor === undefined ? { limit: query.limit } : { limit: query.limit, cursor };
}

/** The cursor a list was given, decoded by `decode`; 400 when it is not one this server gave out. */
export function decodedCursor<C>(
  text: string | undefined,
  decode: (text: string) => C | null,
): C | undefined {
  if (text === undefined) return undefined;
  const cursor = decode(text);
  if (!cursor) {
    throw new AppError(AppErrorCode.Invalid, 'The cursor is not one this server gave out', {
      errors: [{ path: 'cursor', message: 'unknown cursor; pass nextCursor from the previous page' }],
    });
  }
  return cursor;
}

export function pageResponse<T, R>(
  page: Page<T>,
  present: (item: T) => R,
): { items: R[]; nextCursor: string | null } {
  return { items: page.items.map(present), nextCursor: page.next ? encodeCursor(page.next) : null };
}
