import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Access, FEED_TOKEN_PREFIX, type Principal } from '@baton/access';
import { holdsAnyRole } from '@baton/handover';
import { AppError, AppErrorCode } from '@baton/errors';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { RateLimit } from '../http/limits/rate-limiter.js';
import {
  type AuthenticatedRequest,
  CALENDAR_FEED_ROUTE,
  PUBLIC_ROUTE,
  REQUIRED_ROLES,
} from './auth.decorators.js';

/** Bearer token -> principal on every route that is not @Public; then the route's @Roles, if any. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: Access,
    private readonly limits: RateLimit,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<((config: BatonConfig) => boolean) | undefined>(
      PUBLIC_ROUTE,
      targets,
    );
    if (isPublic?.(this.config)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (this.reflector.get<boolean | undefined>(CALENDAR_FEED_ROUTE, context.getHandler())) {
      const feed = await this.feedPrincipal(request, match?.[1]);
      if (feed) {
        request.principal = feed;
        return true;
      }
    }
    if (!match) {
      throw new AppError(AppErrorCode.Unauthenticated, 'An Authorization: Bearer <token> header is required');
    }
    let principal: Principal | null = null;
    try {
      principal = await this.access.authenticate(match[1]);
    } finally {
      // A token that authenticates gets a rate-limit bucket of its own; any other counts against its address.
      if (principal) this.limits.trust(header!);
      else this.limits.distrust(header!);
    }
    if (!principal) throw new AppError(AppErrorCode.Unauthenticated, 'The token is unknown or revoked');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !holdsAnyRole(principal.roles, roles)) {
      throw new AppError(AppErrorCode.Forbidden, `This needs one of the roles: ${roles.join(', ')}`, {
        requiredRoles: roles,
      });
    }
    return true;
  }

  /**
   * On the calendar feed only: the principal of a feed token given in `?token=` or as the bearer token; null
   * when neither is a feed token (then the bearer header must hold an API token). An unknown feed token is 401.
   */
  private async feedPrincipal(
    request: AuthenticatedRequest,
    bearer: string | undefined,
  ): Promise<Principal | null> {
    const query = request.query as Record<string, unknown> | undefined;
    const token =
      typeof query?.token === 'string' ? query.token : bearer?.startsWith(FEED_TOKEN_PREFIX) ? bearer : null;
    if (token === null) return null;
    const principal = await this.access.authenticateFeed(token);
    if (!principal)
      throw new AppError(
        AppErrorCode.Unauthenticated,
        'The calendar feed token is unknown, replaced or revoked',
      );
    return principal;
  }
}

/** The admin, or the principal `id` itself: who may read a principal or rotate its token. */
export function assertAdminOrSelf(
  by: { id: string; roles: readonly string[] },
  id: string,
  what: string,
): void {
  if (by.id === id || holdsAnyRole(by.roles, ['admin'])) return;
  throw new AppError(AppErrorCode.Forbidden, `Only an admin or the principal itself may ${what}`, {
    requiredRoles: ['admin'],
  });
}
