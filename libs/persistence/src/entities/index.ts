import { AuditEventEntity } from './audit-event.entity.js';
import { DeliverableEntity } from './deliverable.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { PrincipalEntity } from './principal.entity.js';
import { ProjectEntity } from './project.entity.js';
import { ServiceEntity } from './service.entity.js';

export { AuditEventEntity, DeliverableEntity, OutboxEntity, PrincipalEntity, ProjectEntity, ServiceEntity };

export const ENTITIES = [
  PrincipalEntity,
  ServiceEntity,
  ProjectEntity,
  DeliverableEntity,
  AuditEventEntity,
  OutboxEntity,
];
