import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { CatalogueService } from './catalogue.service.js';
import { presentService } from './catalogue.presenter.js';
import {
  type CreateServiceBody,
  createServiceSchema,
  type ListQuery,
  listQuerySchema,
} from './catalogue.schemas.js';

@ApiTags('services')
@ApiBearerAuth()
@Controller('v1/services')
export class ServicesController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post()
  @HttpCode(201)
  @Roles('smo')
  @ApiOperation({ summary: 'Add a service to the catalogue (smo, admin)' })
  async create(@CurrentPrincipal() by: Principal, @ValidBody(createServiceSchema) body: CreateServiceBody) {
    return presentService(await this.catalogue.createService(body, by));
  }

  @Get()
  @ApiOperation({ summary: 'The service catalogue, newest first' })
  async list(@ValidQuery(listQuerySchema) query: ListQuery) {
    return pageResponse(await this.catalogue.listServices(pageRequest(query)), presentService);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One service' })
  async get(@UuidParam() id: string) {
    return presentService(await this.catalogue.getService(id));
  }
}
