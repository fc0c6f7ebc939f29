import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type Principal } from '@baton/commands';
import { Database } from '@baton/persistence';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { pageRequest, pageResponse } from '../http/paging.js';
import { ValidBody, ValidQuery } from '../http/zod-validation.js';
import { presentPrincipal } from './catalogue.presenter.js';
import {
  type CreatePrincipalBody,
  createPrincipalSchema,
  type ListQuery,
  listQuerySchema,
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
  async create(@ValidBody(createPrincipalSchema) body: CreatePrincipalBody) {
    const { principal, token, createdAt } = await this.access.createPrincipal(body);
    return { ...presentPrincipal({ ...principal, createdAt }), token };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'All principals, newest first (admin)' })
  async list(@ValidQuery(listQuerySchema) query: ListQuery) {
    return pageResponse(await this.db.principals.list(pageRequest(query)), presentPrincipal);
  }

  @Get('me')
  @ApiOperation({ summary: 'The principal this token belongs to' })
  me(@CurrentPrincipal() principal: Principal) {
    return { id: principal.id, name: principal.name, roles: principal.roles, email: principal.email };
  }
}
