import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { denyList, OutboundHttp } from '@baton/outbound';
import { STOP_GRACE_MS } from './worker-host.js';

/** The worker's one HTTP client for probes and webhooks, refusing BATON_OUTBOUND_DENY where it connects. */
@Injectable()
export class Outbound extends OutboundHttp implements OnApplicationShutdown {
  constructor(@Inject(BATON_CONFIG) config: BatonConfig) {
    super(denyList(config.outboundDeny));
  }

  async onApplicationShutdown(): Promise<void> {
    // Beside the WorkerHost's stop: its jobs have the same grace to finish before they are handed back.
    await this.close(STOP_GRACE_MS + 500);
  }
}
