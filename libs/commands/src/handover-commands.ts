import { randomUUID } from 'node:crypto';
import {
  type Actor,
  applyCommand,
  type CriterionSpec,
  createHandover,
  DEFAULT_POLICIES,
  describeHandover,
  type HandoverCommand,
  type Policy,
  type ServiceTier,
} from '@baton/handover';
import { type Database, type DeliverableFields, type DeliverableRow } from '@baton/persistence';
import { AppError, AppErrorCode } from './app.errors.js';
import { auditHash } from './audit-hash.js';
import { effectsToOutbox } from './effect-jobs.js';

/** A command as a caller gives it: the time is the command path's to set. */
export type CommandInput = HandoverCommand extends infer C
  ? C extends HandoverCommand
    ? Omit<C, 'at'>
    : never
  : never;

export interface CreateDeliverableInput {
  projectId: string;
  serviceId: string;
  title: string;
  description: string | null;
  changeType: string;
  targetGoLive: Date;
  criteria: CriterionSpec[];
}

export interface ExecuteOptions {
  /** The version the caller last saw (If-Match): a mismatch is 412, never retried. */
  ifMatch?: number;
  /** Column changes that go with the command (edit). */
  fields?: DeliverableFields;
}

/** How often a command without If-Match is re-run on a fresher row after losing a write race. */
const MAX_ATTEMPTS = 8;

/**
 * The one command path, shared by the api and the worker: load the deliverable, run the pure transition,
 * then write the row (version-checked), the audit event and the outbox rows for the effects together.
 */
export class HandoverCommands {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(input: CreateDeliverableInput, actor: Actor): Promise<DeliverableRow> {
    const now = this.clock();
    const created = createHandover({ criteria: input.criteria });
    const id = randomUUID();
    const data = {
      projectId: input.projectId,
      serviceId: input.serviceId,
      title: input.title,
      description: input.description,
      changeType: input.changeType,
      targetGoLive: input.targetGoLive.toISOString(),
      criteria: input.criteria.map((criterion) => criterion.key),
    };
    const content = {
      seq: 1,
      at: now.toISOString(),
      principalId: actor.principalId,
      action: 'create',
      fromStatus: null,
      toStatus: created.status,
      data,
    };
    const hash = auditHash(null, content);
    const row: DeliverableRow = {
      id,
      projectId: input.projectId,
      serviceId: input.serviceId,
      title: input.title,
      description: input.description,
      changeType: input.changeType,
      targetGoLive: input.targetGoLive,
      status: created.status,
      snapshot: created.snapshot,
      machineVersion: created.machineVersion,
      version: 1,
      submittedBy: null,
      createdBy: actor.principalId,
      auditSeq: 1,
      auditHash: hash,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.deliverables.insert(row, { ...content, at: now, prevHash: null, hash }, []);
    return row;
  }

  async execute(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions = {},
  ): Promise<DeliverableRow> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.db.deliverables.findById(id);
      if (!current) throw AppError.notFound('Deliverable', id);
      if (options.ifMatch !== undefined && options.ifMatch !== current.version) {
        throw versionMismatch(options.ifMatch, current.version);
      }
      const now = this.clock();
      const at = now.toISOString();
      const command = { ...(await this.complete(input, current)), at };
      const outcome = applyCommand(
        { snapshot: current.snapshot, machineVersion: current.machineVersion },
        command,
        actor,
      );
      const seq = current.auditSeq + 1;
      const content = {
        seq,
        at,
        principalId: actor.principalId,
        action: outcome.audit.action,
        fromStatus: outcome.fromStatus,
        toStatus: outcome.toStatus,
        data: outcome.audit.data,
      };
      const hash = auditHash(current.auditHash, content);
      const fields = options.fields ?? {};
      const submittedBy = describeHandover({
        snapshot: outcome.snapshot,
        machineVersion: outcome.machineVersion,
      }).submittedBy;
      const committed = await this.db.deliverables.commit({
        id,
        expectedVersion: current.version,
        status: outcome.toStatus,
        snapshot: outcome.snapshot,
        machineVersion: outcome.machineVersion,
        submittedBy,
        fields,
        updatedAt: now,
        audit: { ...content, at: now, prevHash: current.auditHash, hash },
        outbox: effectsToOutbox(id, outcome.effects, now),
      });
      if (committed) {
        return {
          ...current,
          ...definedFields(fields),
          status: outcome.toStatus,
          snapshot: outcome.snapshot,
          machineVersion: outcome.machineVersion,
          submittedBy,
          version: current.version + 1,
          auditSeq: seq,
          auditHash: hash,
          updatedAt: now,
        };
      }
      // Lost a race. With If-Match the caller's premise is gone; without, the command is judged again on
      // the fresher row (it may now be refused as not allowed in the new state).
      if (options.ifMatch !== undefined) throw versionMismatch(options.ifMatch);
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          AppErrorCode.WriteConflict,
          'The deliverable kept changing while this command ran; try again',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }

  /** A submission carries the policy of the service's tier: it governs the round it opens. */
  private async complete(input: CommandInput, current: DeliverableRow): Promise<CommandInput> {
    if (!isSubmission(input)) return input;
    return {
      ...input,
      policy: await this.policyFor(current.serviceId),
      targetGoLive: current.targetGoLive.toISOString(),
    };
  }

  private async policyFor(serviceId: string): Promise<Policy> {
    const service = await this.db.services.findById(serviceId);
    if (!service) throw AppError.notFound('Service', serviceId);
    return DEFAULT_POLICIES[service.tier as ServiceTier];
  }
}

function isSubmission(input: CommandInput): input is Extract<CommandInput, { type: 'submit' | 'resubmit' }> {
  return input.type === 'submit' || input.type === 'resubmit';
}

function versionMismatch(expected: number, actual?: number): AppError {
  const now = actual === undefined ? 'has changed since' : `is at version ${actual}`;
  return new AppError(
    AppErrorCode.VersionMismatch,
    `If-Match names version ${expected}, but the deliverable ${now}`,
    {
      ...(actual === undefined ? {} : { currentVersion: actual }),
    },
  );
}

function definedFields(fields: DeliverableFields): Partial<DeliverableRow> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
