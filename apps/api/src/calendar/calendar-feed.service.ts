import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { calendarFeed, type FeedFreeze } from '@baton/calendar';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { AppError, AppErrorCode } from '@baton/errors';
import { Database, type FreezeWindowRow } from '@baton/persistence';
import { type FastifyRequest } from 'fastify';
import { type CalendarQuery } from './calendar-feed.schemas.js';

const DAY_MS = 86_400_000;
/** Go-live windows that ended longer ago than this drop out of the feed. */
const HISTORY_MS = 365 * DAY_MS;
/** At most this many deliverables and freezes in one feed. */
const MAX_ENTRIES = 2000;

function appliesTo(row: FreezeWindowRow): string {
  const parts: string[] = [];
  if (row.scopeTiers)
    parts.push(`tier${row.scopeTiers.length === 1 ? '' : 's'} ${row.scopeTiers.join(', ')}`);
  if (row.scopeServiceIds)
    parts.push(`${row.scopeServiceIds.length} named service${row.scopeServiceIds.length === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'every service' : `services of ${parts.join(' and ')}`;
}

/** The calendar feed: what it holds, read in a few statements, and the URL it is subscribed at. */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly db: Database,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  /** Where clients reach Baton: BATON_PUBLIC_URL, else the scheme and Host of the request. */
  publicUrl(request: FastifyRequest): string {
    return this.config.publicUrl ?? `${request.protocol}://${request.host}`;
  }

  /** The feed's text and its entity tag (a hash of the text: every DTSTAMP is when that item last changed). */
  async feed(query: CalendarQuery, request: FastifyRequest): Promise<{ body: string; etag: string }> {
    // A filter naming nothing is a mistake in the subscribed URL: 400, as for any other bad query.
    const unknown = (what: string, path: string) =>
      new AppError(AppErrorCode.Invalid, `The ${what} in ${path} does not exist`, {
        errors: [{ path, message: `no ${what} with this id` }],
      });
    const service = query.serviceId ? await this.db.services.findById(query.serviceId) : null;
    if (query.serviceId && !service) throw unknown('service', 'serviceId');
    if (query.projectId && !(await this.db.projects.findById(query.projectId)))
      throw unknown('project', 'projectId');
    const now = new Date();
    const since = new Date(now.getTime() - HISTORY_MS);
    const [entries, freezeRows] = await Promise.all([
      this.db.calendar.entries(query, since, MAX_ENTRIES),
      service
        ? this.db.freezeWindows.applyingTo(service, since)
        : this.db.freezeWindows.mayOccurFrom(since, { limit: MAX_ENTRIES }).then((page) => page.items),
    ]);
    const describe = (row: (typeof entries)[number]) => ({
      deliverableId: row.id,
      title: row.title,
      status: row.status,
      serviceName: row.serviceName,
      projectKey: row.projectKey,
      projectName: row.projectName,
      updatedAt: row.updatedAt,
    });
    const freezes: FeedFreeze[] = freezeRows.map((row) => ({
      id: row.id,
      name: row.name,
      reason: row.reason,
      start: row.startsAt.toISOString(),
      end: row.endsAt.toISOString(),
      rrule: row.rrule,
      timeZone: row.timeZone,
      appliesTo: appliesTo(row),
      createdAt: row.createdAt,
    }));
    const body = calendarFeed({
      goLives: entries.flatMap((row) =>
        row.windowStart && row.windowEnd
          ? [{ ...describe(row), start: row.windowStart, end: row.windowEnd }]
          : [],
      ),
      elsEnds: entries.flatMap((row) => (row.elsEndsAt ? [{ ...describe(row), at: row.elsEndsAt }] : [])),
      freezes,
      consoleUrl: this.publicUrl(request),
      now,
    });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    return { body, etag };
  }
}
