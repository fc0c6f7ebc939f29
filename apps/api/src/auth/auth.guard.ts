import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Access, AppError, AppErrorCode } from '@baton/commands';
import { type AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators.js';

/** Bearer token -> principal on every route that is not @Public; then the route's @Roles, if any. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: Access,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new AppError(AppErrorCode.Unauthenticated, 'An Authorization: Bearer <token> header is required');
    }
    const principal = await this.access.authenticate(match[1]);
    if (!principal) throw new AppError(AppErrorCode.Unauthenticated, 'The token is unknown or revoked');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !hasAnyRole(principal.roles, roles)) {
      throw new AppError(AppErrorCode.Forbidden, `This needs one of the roles: ${roles.join(', ')}`, {
        requiredRoles: roles,
      });
    }
    return true;
  }
}

/** admin holds pmo and smo implicitly (API.md); approver roles are never implied. */
export function hasAnyRole(held: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some(
    (role) =>
      held.includes(role) ||
      (held.includes('admin') && (role === 'pmo' || role === 'smo' || role === 'admin')),
  );
}

/** The admin, or the principal `id` itself: who may read a principal or rotate its token. */
export function assertAdminOrSelf(
  by: { id: string; roles: readonly string[] },
  id: string,
  what: string,
): void {
  if (by.id === id || hasAnyRole(by.roles, ['admin'])) return;
  throw new AppError(AppErrorCode.Forbidden, `Only an admin or the principal itself may ${what}`, {
    requiredRoles: ['admin'],
  });
}
