import { describe, expect, it } from '@jest/globals';
import { HANDOVER_EVENT_TYPES } from './handover.events.js';
import { FINAL_STATUSES, GATES, STATUSES } from './handover.types.js';
import { describeWorkflow, toMermaid } from './workflow-diagram.js';

describe('toMermaid', () => {
  const mermaid = toMermaid();
  const lines = mermaid.split('\n').map((line) => line.trim());

  it('is a stateDiagram-v2 starting at draft inside the active composite', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('[*] --> active');
    expect(lines).toContain('state active {');
    expect(lines).toContain('[*] --> draft');
  });

  it.each(STATUSES)('names the status %s', (status) => {
    expect(mermaid).toMatch(new RegExp(`(^|\\s)${status}(\\s|$)`, 'm'));
  });

  it.each(HANDOVER_EVENT_TYPES)('names the event %s', (event) => {
    expect(mermaid).toMatch(new RegExp(`[:,] ${event}\\b`));
  });

  it.each(FINAL_STATUSES)('ends at the final status %s', (status) => {
    expect(lines).toContain(`${status} --> [*]`);
  });

  it('draws the transitions of the machine, guards where they choose the target, history for resume', () => {
    expect(lines).toContain('draft --> readiness : SUBMIT');
    expect(lines).toContain('readiness --> acceptance : always [readinessComplete]');
    expect(lines).toContain('acceptance --> approved : always [quorumReached(acceptance)]');
    expect(lines).toContain('acceptance --> rejected : REJECT_FINAL [mayDecide(acceptance)]');
    expect(lines).toContain('early_life_support --> els_review : TIMER_DUE [elsPeriodEndsExitMet]');
    expect(lines).toContain('active --> on_hold : HOLD');
    expect(lines).toContain('on_hold --> active : RESUME (history)');
    // Edges that leave the composite are drawn outside its block, so Mermaid does not nest their targets.
    const close = lines.indexOf('}');
    expect(lines.indexOf('acceptance --> rejected : REJECT_FINAL [mayDecide(acceptance)]')).toBeGreaterThan(
      close,
    );
    expect(mermaid).not.toMatch(/held/);
  });
});

describe('describeWorkflow', () => {
  it('describes the machine for GET /v1/workflow', () => {
    const workflow = describeWorkflow();
    expect(workflow.version).toBe(1);
    expect(workflow.initial).toBe('draft');
    expect(workflow.states.map((state) => state.name)).toEqual([...STATUSES]);
    expect(workflow.states.filter((state) => state.final).map((state) => state.name)).toEqual([
      ...FINAL_STATUSES,
    ]);
    expect(workflow.events).toEqual([...HANDOVER_EVENT_TYPES]);
    expect(workflow.gates).toEqual([...GATES]);
    expect(workflow.mermaid).toBe(toMermaid());
  });

  it('lists the events and commands each status takes', () => {
    const states = new Map(describeWorkflow().states.map((state) => [state.name, state]));
    expect(states.get('draft')).toMatchObject({
      initial: true,
      events: ['EDIT', 'SUBMIT', 'ATTEST', 'TIMER_DUE', 'HOLD', 'CANCEL'],
      actions: ['edit', 'submit', 'attest', 'timer_due', 'hold', 'cancel'],
    });
    expect(states.get('on_hold')?.events).toEqual(['RESUME', 'CANCEL']);
    expect(states.get('early_life_support')?.actions).toContain('timer_due');
    expect(states.get('els_review')?.events).not.toContain('REJECT_FINAL');
    expect(states.get('cancelled')?.events).toEqual([]);
    expect(states.get('rejected')?.events).toEqual([]);
    // The handover has ended, but a live service still records follow-on actions and lessons.
    expect(states.get('operational')?.events).toEqual([
      'CREATE_ACTION',
      'ASSIGN_ACTION',
      'CLOSE_ACTION',
      'RECORD_LESSON',
      'TIMER_DUE',
    ]);
    expect(states.get('operational')?.final).toBe(true);
    expect(states.get('early_life_support')?.smo).toBe('early life support');
  });
});
