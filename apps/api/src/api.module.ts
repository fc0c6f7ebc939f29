import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { QueueBoardController } from './admin/queue-board.controller.js';
import { QueueBoardSessions } from './admin/queue-board-sessions.js';
import { AuthGuard } from './auth/auth.guard.js';
import { CalendarFeedController } from './calendar/calendar-feed.controller.js';
import { CalendarFeedService } from './calendar/calendar-feed.service.js';
import { CatalogueService } from './catalogue/catalogue.service.js';
import { PrincipalsController } from './catalogue/principals.controller.js';
import { ProjectsController } from './catalogue/projects.controller.js';
import { MeController } from './catalogue/me.controller.js';
import { ServicesController } from './catalogue/services.controller.js';
import { DelegationsController } from './delegations/delegations.controller.js';
import { DelegationsService } from './delegations/delegations.service.js';
import { DeliverablesController } from './deliverables/deliverables.controller.js';
import { DeliverablesService } from './deliverables/deliverables.service.js';
import { HandoverActionsController } from './deliverables/handover-actions.controller.js';
import { FollowOnActionsController } from './deliverables/follow-on-actions.controller.js';
import { LessonsRegisterController } from './deliverables/lessons-register.controller.js';
import { EventHub } from './events/event-hub.js';
import { EventsController } from './events/events.controller.js';
import { EvidenceKeys } from './evidence/evidence-keys.js';
import { EvidencePackController } from './evidence/evidence-pack.controller.js';
import { EvidencePackService } from './evidence/evidence-pack.service.js';
import { FreezeWindowsController } from './governance/freeze-windows.controller.js';
import { GovernanceController } from './governance/governance.controller.js';
import { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
import { RateLimit } from './http/limits/rate-limiter.js';
import { InboxController } from './inbox/inbox.controller.js';
import { InboxService } from './inbox/inbox.service.js';
import { AuthConfigController } from './system/auth-config.controller.js';
import { HttpDrain } from './http/lifecycle/http-drain.js';
import { HealthController } from './system/health.controller.js';
import { MetricsController } from './system/metrics.controller.js';
import { ReferenceController } from './system/reference.controller.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

const controllers = [
  HealthController,
  MetricsController,
  ReferenceController,
  AuthConfigController,
  MeController,
  PrincipalsController,
  ServicesController,
  ProjectsController,
  DeliverablesController,
  HandoverActionsController,
  FollowOnActionsController,
  LessonsRegisterController,
  EvidencePackController,
  InboxController,
  EventsController,
  GovernanceController,
  FreezeWindowsController,
  CalendarFeedController,
  DelegationsController,
  WebhooksController,
  QueueBoardController,
];

const providers = [
  { provide: APP_GUARD, useClass: AuthGuard },
  { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  RateLimit,
  HttpDrain,
  CatalogueService,
  DeliverablesService,
  InboxService,
  DelegationsService,
  EvidenceKeys,
  EvidencePackService,
  CalendarFeedService,
  EventHub,
  QueueBoardSessions,
];

/** HTTP only. Needs CoreModule (config, database, queues, command path) from whoever composes it. */
@Module({ controllers, providers })
export class ApiModule {}
