import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Principal } from '@baton/access';
import { type BatonConfig } from '@baton/config';
import { type FastifyRequest } from 'fastify';

export const PUBLIC_ROUTE = 'baton:public';
export const REQUIRED_ROLES = 'baton:roles';
export const CALENDAR_FEED_ROUTE = 'baton:calendar-feed';

/** No token needed (health, docs); or none when the configuration says so (`/metrics` on a private network). */
export const Public = (
  when: (config: BatonConfig) => boolean = () => true,
): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, when);

/** One of these roles is needed; `admin` may do what pmo and smo may do. */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/**
 * The calendar feed: besides an API token it takes a calendar feed token, as a bearer token or in `?token=`
 * (calendar apps subscribe to a URL and send no header). Every other route refuses feed tokens.
 */
export const CalendarFeed = (): MethodDecorator => SetMetadata(CALENDAR_FEED_ROUTE, true);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal on a public route');
    return principal;
  },
);
