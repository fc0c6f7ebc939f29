import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type Principal } from '@baton/access';
import { Database } from '@baton/persistence';
import { type z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { assertAdminOrSelf } from '../auth/auth.guard.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { presentMe, presentPrincipal } from './catalogue.presenter.js';
import {
  meResponse,
  principalPageResponse,
  principalResponse,
  principalWithTokenResponse,
} from './catalogue.responses.js';
import {
  type CreatePrincipalBody,
  createPrincipalSchema,
  type ListQuery,
  listQuerySchema,
  type RotateTokenBody,
  rotateTokenSchema,
} from './catalogue.schemas.js';

@ApiTags('principals')
@ApiBearerAuth()
@Controller('v1/principals')
export class PrincipalsController {
  constructor(
    private readonly access: Access,
    private readonly db: Database,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Create a principal with roles; its token is in this response only (admin)' })
  @Responds(201, 'The principal, with its token', principalWithTokenResponse)
  async create(
    @ValidBody(createPrincipalSchema) body: CreatePrincipalBody,
  ): Promise<z.input<typeof principalWithTokenResponse>> {
    const { principal, token, createdAt } = await this.access.createPrincipal(body);
    return { ...presentPrincipal({ ...principal, createdAt }), token };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'All principals, newest first (admin)' })
  @Responds(200, 'A page of principals', principalPageResponse)
  async list(@ValidQuery(listQuerySchema) query: ListQuery): Promise<z.input<typeof principalPageResponse>> {
    return pageResponse(await this.db.principals.list(pageRequest(query)), presentPrincipal);
  }

  @Get('me')
  @ApiOperation({ summary: 'The principal this token belongs to (the same as GET /v1/me)' })
  @Responds(200, 'The caller', meResponse)
  async me(@CurrentPrincipal() principal: Principal): Promise<z.input<typeof meResponse>> {
    return presentMe(principal, await this.db.delegations.inForceFor(principal.id, new Date()));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One principal (admin, or the principal itself)' })
  @Responds(200, 'The principal', principalResponse)
  async get(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
  ): Promise<z.input<typeof principalResponse>> {
    assertAdminOrSelf(by, id, 'read this principal');
    return presentPrincipal(await this.access.principal(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({
    summary: 'Revoke a principal: its token answers 401 at once (admin; the bootstrap admin is 409)',
  })
  @Responds(204, 'Revoked')
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.access.revoke(id);
  }

  @Post(':id/token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Issue a new token, in this response only; the old one answers 401 at once (admin, or the principal itself)',
  })
  @Responds(200, 'The principal, with its new token', principalWithTokenResponse)
  async rotateToken(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @ValidBody(rotateTokenSchema) _body: RotateTokenBody,
  ): Promise<z.input<typeof principalWithTokenResponse>> {
    assertAdminOrSelf(by, id, "rotate this principal's token");
    const { row, token } = await this.access.rotateToken(id);
    return { ...presentPrincipal(row), token };
  }
}
