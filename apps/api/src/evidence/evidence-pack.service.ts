import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Principal } from '@baton/access';
import { canonicalJson } from '@baton/commands';
import { presentProject, presentService } from '../catalogue/catalogue.presenter.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { chainBreak } from '../deliverables/chain-check.js';
import { presentAuditEvent, presentDeliverable } from '../deliverables/deliverable.presenter.js';
import { actorOf, DeliverablesService } from '../deliverables/deliverables.service.js';
import { EvidenceKeys } from './evidence-keys.js';
import {
  EVIDENCE_PACK_FORMAT,
  type EvidencePack,
  type UnsignedEvidencePack,
} from './evidence-pack.responses.js';

/** Reads taken again when a command lands between reading the deliverable and its history. */
const CONSISTENT_READ_ATTEMPTS = 5;

const sha256 = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

/**
 * Evidence packs: the deliverable, its service and project, its whole history and chain as the API serves
 * them, with a digest per member, signed with the evidence key over the canonical JSON of all of it.
 */
@Injectable()
export class EvidencePackService {
  constructor(
    private readonly deliverables: DeliverablesService,
    private readonly catalogue: CatalogueService,
    private readonly keys: EvidenceKeys,
  ) {}

  async make(id: string, by: Principal): Promise<EvidencePack> {
    const { deliverable, history, chain } = await this.consistentRead(id, by);
    const [service, project] = await Promise.all([
      this.catalogue.getService(deliverable.serviceId).then(presentService),
      this.catalogue.getProject(deliverable.projectId).then(presentProject),
    ]);
    const members = { deliverable, service, project, history, chain };
    const unsigned: UnsignedEvidencePack = {
      format: EVIDENCE_PACK_FORMAT,
      generatedAt: new Date().toISOString(),
      ...members,
      digests: {
        deliverable: sha256(deliverable),
        service: sha256(service),
        project: sha256(project),
        history: sha256(history),
        chain: sha256(chain),
      },
    };
    return { ...unsigned, signature: { alg: 'Ed25519', ...this.keys.sign(canonicalJson(unsigned)) } };
  }

  /**
   * The deliverable and its history at one version: read again when a command committed in between (the
   * history then ends past the version read), so the pack never shows a status its history does not reach.
   */
  private async consistentRead(id: string, by: Principal) {
    for (let attempt = 1; ; attempt++) {
      const read = await this.deliverables.get(id);
      const events = (await this.deliverables.history(id)).map(presentAuditEvent);
      const head = await this.deliverables.exists(id);
      if (head.version === read.row.version || attempt === CONSISTENT_READ_ATTEMPTS) {
        const broken = chainBreak(events, head);
        return {
          deliverable: presentDeliverable(read.row, read.handover, actorOf(by)),
          history: events,
          chain: { verified: broken === null, head: events.at(-1)?.hash ?? null },
        };
      }
    }
  }
}
