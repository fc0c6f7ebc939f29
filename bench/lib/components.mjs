// What the pure pieces of one request cost, measured in this process on a real stored snapshot: restoring
// the XState snapshot, describing it, working out the allowed actions, applying a command, the audit hash,
// presenting the deliverable. With how often a request calls each (read from the code), this says what
// the api spends on the domain per request, and what calling each piece once would save.
import { now, median } from './util.mjs';

function perCallMicros(fn, budgetMs) {
  for (let i = 0; i < 50; i++) fn(); // warm the JIT
  const batches = [];
  const deadline = now() + budgetMs;
  while (now() < deadline || batches.length < 3) {
    let calls = 0;
    const t0 = now();
    while (now() - t0 < budgetMs / 10) {
      fn();
      calls++;
    }
    batches.push(((now() - t0) * 1000) / calls);
  }
  return median(batches);
}

export async function measureComponents(row, actor, budgetMs = 400) {
  const handover = await import('../../dist/libs/handover/src/index.js');
  const commands = await import('../../dist/libs/commands/src/index.js');
  const presenter = await import('../../dist/apps/api/src/deliverables/deliverable.presenter.js');
  const stored = { snapshot: row.snapshot, machineVersion: row.machineVersion };
  const at = new Date().toISOString();
  // The command a hold/resume cycle would send next to this deliverable.
  const command = row.status === 'on_hold' ? { type: 'resume', at } : { type: 'hold', reason: 'bench', at };
  const content = {
    seq: 2,
    at,
    principalId: actor.principalId,
    action: 'hold',
    fromStatus: 'draft',
    toStatus: 'on_hold',
    data: { reason: 'bench' },
  };
  // What a GET does to present a row: one restore, then the mapping (presentDeliverable takes the handover).
  const present = () => presenter.presentDeliverable(row, handover.loadHandover(stored), actor);
  const presented = present();
  return {
    restoreHandover: perCallMicros(() => handover.restoreHandover(stored), budgetMs),
    describeHandover: perCallMicros(() => handover.describeHandover(stored), budgetMs),
    allowedActions: perCallMicros(() => handover.allowedActions(stored, actor), budgetMs),
    applyCommand: perCallMicros(() => handover.applyCommand(stored, command, actor), budgetMs),
    command: command.type,
    auditHash: perCallMicros(() => commands.auditHash('0'.repeat(64), content), budgetMs),
    presentDeliverable: perCallMicros(present, budgetMs),
    stringifyResponse: perCallMicros(() => JSON.stringify(presented), budgetMs),
    snapshotBytes: JSON.stringify(row.snapshot).length,
    responseBytes: JSON.stringify(presented).length,
  };
}
