import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { denyList, OutboundHttp } from '@baton/outbound';

/** The worker's one HTTP client for probes and webhooks, refusing BATON_OUTBOUND_DENY where it connects. */
@Injectable()
export class Outbound extends OutboundHttp implements OnApplicationShutdown {
  constructor(@Inject(BATON_CONFIG) config: BatonConfig) {
    super(denyList(config.outboundDeny));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
