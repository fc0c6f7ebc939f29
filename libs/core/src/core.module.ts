import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { Access } from '@baton/access';
import { HandoverCache, HandoverCommands } from '@baton/commands';
import { Database } from '@baton/persistence';
import { Queues } from '@baton/queues';
import { BATON_CONFIG, QUEUE_BACKEND, REDIS_CLIENTS } from './tokens.js';
import { Metrics } from './metrics.js';
import { LoggingModule } from './logger.js';
import { type Runtime } from './composition-root.js';

/** Hands the opened runtime to Nest: one instance of each, shared by the api and worker modules. */
@Module({})
export class CoreModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    const providers = [
      { provide: BATON_CONFIG, useValue: runtime.config },
      { provide: QUEUE_BACKEND, useValue: runtime.queueBackend },
      { provide: Database, useValue: runtime.db },
      { provide: Queues, useValue: runtime.queues },
      { provide: Access, useValue: runtime.access },
      { provide: HandoverCommands, useValue: runtime.commands },
      { provide: HandoverCache, useValue: runtime.handovers },
      { provide: Metrics, useValue: runtime.metrics },
      // Absent on BullMQ's PostgreSQL backend: its users take it as @Optional().
      ...(runtime.redis ? [{ provide: REDIS_CLIENTS, useValue: runtime.redis }] : []),
    ];
    return {
      module: CoreModule,
      global: true,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}

/** The root module of a process: the opened runtime and the application modules (api, worker, or both). */
export function rootModule(runtime: Runtime, modules: Type[]): DynamicModule {
  @Module({})
  class BatonModule {}
  return {
    module: BatonModule,
    imports: [LoggingModule.forLogger(runtime.logger), CoreModule.forRuntime(runtime), ...modules],
  };
}
