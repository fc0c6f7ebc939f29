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
import { presentProject } from './catalogue.presenter.js';
import { projectPageResponse, projectResponse } from './catalogue.responses.js';
import {
  type CreateProjectBody,
  createProjectSchema,
  type ListQuery,
  listQuerySchema,
} from './catalogue.schemas.js';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post()
  @HttpCode(201)
  @Roles('pmo')
  @ApiOperation({ summary: 'Register a project (pmo, admin)' })
  @Responds(201, 'The project', projectResponse)
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createProjectSchema) body: CreateProjectBody,
  ): Promise<z.input<typeof projectResponse>> {
    return presentProject(await this.catalogue.createProject(body, by));
  }

  @Get()
  @ApiOperation({ summary: 'Projects, newest first' })
  @Responds(200, 'A page of projects', projectPageResponse)
  async list(@ValidQuery(listQuerySchema) query: ListQuery): Promise<z.input<typeof projectPageResponse>> {
    return pageResponse(await this.catalogue.listProjects(pageRequest(query)), presentProject);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One project' })
  @Responds(200, 'The project', projectResponse)
  async get(@UuidParam() id: string): Promise<z.input<typeof projectResponse>> {
    return presentProject(await this.catalogue.getProject(id));
  }
}
