import { AuditEventEntity } from './audit-event.entity.js';
import { ChecklistTemplateEntity } from './checklist-template.entity.js';
import { DeliverableCriterionEntity } from './deliverable-criterion.entity.js';
import { DelegationEntity } from './delegation.entity.js';
import { EvidenceKeyEntity } from './evidence-key.entity.js';
import { FreezeWindowEntity } from './freeze-window.entity.js';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { InstallationEntity } from './installation.entity.js';
import { PolicyEntity } from './policy.entity.js';
import { TimerEntity } from './timer.entity.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEntity } from './webhook.entity.js';
import { DeliverableEntity } from './deliverable.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { PrincipalEntity } from './principal.entity.js';
import { ProjectEntity } from './project.entity.js';
import { ServiceEntity } from './service.entity.js';

export {
  AuditEventEntity,
  ChecklistTemplateEntity,
  DelegationEntity,
  DeliverableCriterionEntity,
  DeliverableEntity,
  EvidenceKeyEntity,
  FreezeWindowEntity,
  IdempotencyKeyEntity,
  InstallationEntity,
  OutboxEntity,
  PolicyEntity,
  PrincipalEntity,
  ProjectEntity,
  ServiceEntity,
  TimerEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
};

export const ENTITIES = [
  PrincipalEntity,
  ServiceEntity,
  ProjectEntity,
  DeliverableEntity,
  AuditEventEntity,
  OutboxEntity,
  PolicyEntity,
  ChecklistTemplateEntity,
  DeliverableCriterionEntity,
  TimerEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  IdempotencyKeyEntity,
  InstallationEntity,
  FreezeWindowEntity,
  DelegationEntity,
  EvidenceKeyEntity,
];
