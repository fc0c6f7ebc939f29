import { describe, expect, it } from '@jest/globals';
import { edgesFrom, parseMermaid } from './workflow-graph';

const mermaid = `stateDiagram-v2
  [*] --> active
  state active {
    [*] --> draft
    draft --> draft : EDIT, ATTEST
    draft --> readiness : SUBMIT
    readiness --> acceptance : always [readinessComplete]
    acceptance --> rework : REQUEST_CHANGES [mayDecide(acceptance)], REJECT [mayDecide(acceptance)]
  }
  active --> on_hold : HOLD
  on_hold --> active : RESUME (history)
  operational --> [*]
`;

describe('the workflow graph from the served Mermaid text', () => {
  const graph = parseMermaid(mermaid);

  it('reads the transitions without self-loops, guards or the initial and final markers', () => {
    expect(graph.edges).toEqual([
      { from: 'draft', to: 'readiness', events: ['SUBMIT'] },
      { from: 'readiness', to: 'acceptance', events: ['always'] },
      { from: 'acceptance', to: 'rework', events: ['REQUEST_CHANGES', 'REJECT'] },
      { from: 'active', to: 'on_hold', events: ['HOLD'] },
      { from: 'on_hold', to: 'active', events: ['RESUME'] },
    ]);
  });

  it('knows which statuses a composite state holds', () => {
    expect(graph.groups.active).toEqual(['draft', 'readiness', 'acceptance', 'rework']);
  });

  it('gives the ways out of a status, those of its group included', () => {
    expect(edgesFrom(graph, 'readiness').map((edge) => edge.to)).toEqual(['acceptance', 'on_hold']);
    expect(edgesFrom(graph, 'on_hold').map((edge) => edge.to)).toEqual(['active']);
  });
});
