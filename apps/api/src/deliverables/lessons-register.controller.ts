import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { STATUSES } from '@baton/handover';
import { Database, decodeLessonCursor, encodeLessonCursor, type LessonRow } from '@baton/persistence';
import { type z } from 'zod';
import { oneOf } from '../http/openapi/response-schemas.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { decodedCursor } from '../http/validation/paging.js';
import { ValidQuery } from '../http/validation/zod-validation.js';
import {
  lessonsPageResponse,
  type LessonsQuery,
  lessonsQuerySchema,
  type registerLessonResponse,
} from './lessons-register.js';

const presentLesson = (row: LessonRow): z.input<typeof registerLessonResponse> => ({
  text: row.text,
  recordedBy: row.recordedBy,
  at: row.at.toISOString(),
  deliverable: {
    id: row.deliverableId,
    title: row.deliverableTitle,
    status: oneOf(STATUSES, row.deliverableStatus, 'status'),
  },
  service: { id: row.serviceId, name: row.serviceName },
  project: { id: row.projectId, key: row.projectKey, name: row.projectName },
});

@ApiTags('deliverables')
@ApiBearerAuth()
@Controller('v1/lessons')
export class LessonsRegisterController {
  constructor(private readonly db: Database) {}

  @Get()
  @ApiOperation({
    summary:
      'The continual improvement register: every lesson learned on any deliverable, newest first, with its ' +
      'deliverable, service and project; narrowed by service, project and words (any token)',
  })
  @Responds(200, 'A page of the register', lessonsPageResponse)
  async list(
    @ValidQuery(lessonsQuerySchema) query: LessonsQuery,
  ): Promise<z.input<typeof lessonsPageResponse>> {
    const after = decodedCursor(query.cursor, decodeLessonCursor);
    const page = await this.db.lessons.search({
      limit: query.limit,
      ...(query.serviceId === undefined ? {} : { serviceId: query.serviceId }),
      ...(query.projectId === undefined ? {} : { projectId: query.projectId }),
      ...(query.q === undefined ? {} : { text: query.q }),
      ...(after === undefined ? {} : { after }),
    });
    return {
      items: page.items.map(presentLesson),
      nextCursor: page.next === null ? null : encodeLessonCursor(page.next),
    };
  }
}
