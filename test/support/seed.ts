// For the tests of the command path without the api: a service and a project written straight to the
// database, and draft deliverables created on them through HandoverCommands.
import { randomBytes, randomUUID } from 'node:crypto';
import { type HandoverCommands } from '@baton/commands';
import { type CriterionSpec, DEFAULT_CHECKLIST } from '@baton/handover';
import { type Database } from '@baton/persistence';

export interface Catalogue {
  serviceId: string;
  projectId: string;
}

/** A tier-4 service and an agile project, with `key` (unique per database) as the project's key. */
export async function seedCatalogue(
  db: Database,
  key = `K-${randomBytes(3).toString('hex')}`,
): Promise<Catalogue> {
  const serviceId = randomUUID();
  const projectId = randomUUID();
  await db.services.insert({
    id: serviceId,
    name: 'service',
    tier: 4,
    ownerName: null,
    supportGroup: null,
    createdBy: null,
    createdAt: new Date(),
  });
  await db.projects.insert({
    id: projectId,
    key,
    name: 'p',
    methodology: 'agile',
    managerName: null,
    createdBy: null,
    createdAt: new Date(),
  });
  return { serviceId, projectId };
}

/** A draft minor change on `catalogue`, created by a PMO principal; returns its id. */
export async function seedDraft(
  commands: HandoverCommands,
  catalogue: Catalogue,
  options: { title?: string; criteria?: readonly CriterionSpec[]; goLiveInMs?: number } = {},
): Promise<string> {
  const { row } = await commands.create(
    {
      ...catalogue,
      title: options.title ?? 't',
      description: null,
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + (options.goLiveInMs ?? 86_400_000)),
      criteria: [...(options.criteria ?? DEFAULT_CHECKLIST.criteria)],
      checklist: null,
    },
    { principalId: randomUUID(), roles: ['pmo'] },
  );
  return row.id;
}
