import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import { CatalogueService } from './catalogue.service.js';
import { presentService } from './catalogue.presenter.js';
import { servicePageResponse, serviceResponse } from './catalogue.responses.js';
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
  @Responds(201, 'The service', serviceResponse)
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createServiceSchema) body: CreateServiceBody,
  ): Promise<z.input<typeof serviceResponse>> {
    return presentService(await this.catalogue.createService(body, by));
  }

  @Get()
  @ApiOperation({ summary: 'The service catalogue, newest first' })
  @Responds(200, 'A page of services', servicePageResponse)
  async list(@ValidQuery(listQuerySchema) query: ListQuery): Promise<z.input<typeof servicePageResponse>> {
    return pageResponse(await this.catalogue.listServices(pageRequest(query)), presentService);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One service' })
  @Responds(200, 'The service', serviceResponse)
  async get(@UuidParam() id: string): Promise<z.input<typeof serviceResponse>> {
    return presentService(await this.catalogue.getService(id));
  }
}
