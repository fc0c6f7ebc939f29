// The handover's state diagram drawn as SVG from GET /v1/workflow, the current status lit, with the same
// content as a text list (the diagram's text equivalent).
import { useMemo } from 'react';
import type { Status, Workflow } from '../api/types';
import { useApp } from '../shell/app-context';
import { Term } from '../ui/components';
import { edgesFrom, eventWords, parseMermaid } from './workflow-graph';

const W = 128;
const H = 58;
const GAP_X = 28;
const GAP_Y = 46;
const PAD = 18;

/** Where each known status sits: the main line, then rework, then the ends off the main line. */
const PLACE: Record<string, [number, number]> = {
  draft: [0, 0],
  readiness: [1, 0],
  acceptance: [2, 0],
  approved: [3, 0],
  scheduled: [4, 0],
  early_life_support: [5, 0],
  els_review: [6, 0],
  operational: [7, 0],
  rework: [2.5, 1],
  rejected: [1.5, 2],
  on_hold: [3.5, 2],
  cancelled: [5.5, 2],
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const center = (box: Box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 });

/** Where the line from the box's centre towards `to` leaves the box. */
function border(box: Box, to: { x: number; y: number }) {
  const c = center(box);
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const scale = Math.min(Math.abs(box.w / 2 / (dx || 1e-9)), Math.abs(box.h / 2 / (dy || 1e-9)));
  return { x: c.x + dx * scale, y: c.y + dy * scale };
}

/** Breaks a label into at most three lines of about `width` characters. */
function lines(text: string, width = 19): string[] {
  const words = text.split(' ');
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if ((line + ' ' + word).trim().length > width && line) {
      out.push(line);
      line = word;
    } else line = (line + ' ' + word).trim();
  }
  if (line) out.push(line);
  if (out.length > 3) return [...out.slice(0, 2), `${out[2]}…`];
  return out;
}

export function StateDiagram({
  workflow,
  current,
  heldFrom,
}: {
  workflow: Workflow;
  current: Status;
  heldFrom?: string | null;
}) {
  const app = useApp();
  const graph = useMemo(() => parseMermaid(workflow.mermaid), [workflow.mermaid]);
  const names = workflow.states.map((state) => state.name);
  const boxes = new Map<string, Box>();
  let extra = 0;
  for (const name of names) {
    const [col, row] = PLACE[name] ?? [extra++, 3];
    boxes.set(name, { x: PAD + col * (W + GAP_X), y: PAD + 40 + row * (H + GAP_Y), w: W, h: H });
  }
  // A composite state is the box around its members.
  for (const [group, members] of Object.entries(graph.groups)) {
    const inside = members.map((member) => boxes.get(member)).filter((box): box is Box => box !== undefined);
    if (inside.length === 0) continue;
    const x = Math.min(...inside.map((box) => box.x)) - 10;
    const y = Math.min(...inside.map((box) => box.y)) - 22;
    const right = Math.max(...inside.map((box) => box.x + box.w)) + 10;
    const bottom = Math.max(...inside.map((box) => box.y + box.h)) + 10;
    boxes.set(group, { x, y, w: right - x, h: bottom - y });
  }
  const width = Math.max(...[...boxes.values()].map((box) => box.x + box.w)) + PAD;
  const height = Math.max(...[...boxes.values()].map((box) => box.y + box.h)) + PAD;
  const currentWords = app.status(current);

  return (
    <figure className="diagram">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="diagram-title"
        className="diagram-svg"
        preserveAspectRatio="xMidYMin meet"
      >
        <title id="diagram-title">{`Handover workflow; the current status is ${currentWords.text}`}</title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="diagram-arrowhead" />
          </marker>
        </defs>
        {Object.keys(graph.groups).map((group) => {
          const box = boxes.get(group);
          if (!box) return null;
          return (
            <g key={group} className="diagram-group">
              <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={12} />
              <text x={box.x + 10} y={box.y + 15}>
                any {group} status
              </text>
            </g>
          );
        })}
        {graph.edges.map((edge) => {
          const from = boxes.get(edge.from);
          const to = boxes.get(edge.to);
          if (!from || !to) return null;
          const a = border(from, center(to));
          const b = border(to, center(from));
          const back = from.y === to.y && from.x > to.x;
          // A way back along the main line arcs over it, from the top of one box to the top of the other.
          const d = back
            ? `M ${center(from).x - 14} ${from.y} C ${center(from).x - 14} ${from.y - 30}, ${center(to).x + 14} ${to.y - 30}, ${center(to).x + 14} ${to.y}`
            : `M ${a.x} ${a.y} L ${b.x} ${b.y}`;
          const active = edge.from === current || graph.groups[edge.from]?.includes(current);
          return (
            <path
              key={`${edge.from}-${edge.to}`}
              d={d}
              className={`diagram-edge ${active ? 'from-current' : ''}`}
              markerEnd="url(#arrow)"
            >
              <title>{`${edge.from} → ${edge.to}: ${edge.events.map(eventWords).join(', ')}`}</title>
            </path>
          );
        })}
        {names.map((name) => {
          const box = boxes.get(name)!;
          const words = app.status(name);
          const label = lines(app.lens === 'smo' ? words.smo : words.pmo);
          const isCurrent = name === current;
          return (
            <g
              key={name}
              className={`diagram-node ${isCurrent ? 'current' : ''} ${name === heldFrom ? 'held-from' : ''}`}
            >
              <title>{`${words.title}${isCurrent ? ' (current)' : ''}`}</title>
              <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={8} />
              {label.map((text, index) => (
                <text
                  key={index}
                  x={box.x + box.w / 2}
                  y={box.y + box.h / 2 + (index - (label.length - 1) / 2) * 13 + 4}
                  textAnchor="middle"
                >
                  {text}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <details className="diagram-text">
          <summary>The workflow as text</summary>
          <ol>
            {names.map((name) => {
              const outs = edgesFrom(graph, name);
              return (
                <li
                  key={name}
                  aria-current={name === current ? 'step' : undefined}
                  className={name === current ? 'current' : ''}
                >
                  <Term words={app.status(name)} />
                  {name === current ? <strong> (current status)</strong> : null}
                  {outs.length > 0 ? (
                    <span className="muted">
                      {' '}
                      — leads to{' '}
                      {outs
                        .map(
                          (edge) =>
                            `${graph.groups[edge.to] ? `the status it was held in` : app.status(edge.to).text} (${edge.events.map(eventWords).join(' or ')})`,
                        )
                        .join('; ')}
                    </span>
                  ) : (
                    <span className="muted"> — final</span>
                  )}
                </li>
              );
            })}
          </ol>
        </details>
      </figcaption>
    </figure>
  );
}
