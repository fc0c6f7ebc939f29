import PDFDocument from 'pdfkit';
import { GLOSSARY } from '@baton/handover';
import { type EvidencePack } from './evidence-pack.responses.js';

// The evidence pack laid out for a reader: headings, key-value blocks and tables, the chain head and the key
// id in the footer of every page. The signed record is the JSON pack; this document renders it.

const PAGE = { size: 'A4' as const, margin: 50, top: 64, bottom: 70 };
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', mono: 'Courier' };
const SIZE = { title: 20, heading: 13, subheading: 10.5, body: 9, table: 8, footer: 7 };
const INK = { text: '#1a1a1a', muted: '#5c5c5c', rule: '#c8c8c8', band: '#eef1f5', bad: '#a40000' };
const CELL_PADDING = 3;

type Doc = PDFKit.PDFDocument;
type Pack = EvidencePack;
type Deliverable = Pack['deliverable'];

/** A table column: its heading and its share of the line's width. */
interface Column {
  header: string;
  share: number;
  mono?: boolean;
}

/** The standard PDF fonts write WinAnsi (Latin-1 and a few more): anything else is shown as "?". */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const printable = (text: string): string =>
  [...text].map((char) => (char.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRA.has(char) ? char : '?')).join('');

/** `2026-12-02 23:40:12 UTC` from an ISO 8601 time. */
const when = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '-';

/** Principals by the start of their id (the pack names them by id). */
const who = (id: string | null | undefined): string => (id ? id.slice(0, 8) : 'system');

const words = (value: string): string => value.replace(/_/g, ' ');

function statusInWords(status: string): string {
  const entry = GLOSSARY.statuses.find((candidate) => candidate.status === status);
  return entry ? `${words(status)} (PMO: ${entry.pmo}; SMO: ${entry.smo})` : words(status);
}

const contentWidth = (doc: Doc): number => doc.page.width - PAGE.margin * 2;
const pageBottom = (doc: Doc): number => doc.page.height - PAGE.bottom;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

/** Room for a heading with the first lines under it: a heading never ends a page. */
function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 110);
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(SIZE.heading).fillColor(INK.text);
  doc.text(printable(text), PAGE.margin, doc.y, { width: contentWidth(doc) });
  const y = doc.y + 2;
  doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.margin + contentWidth(doc), y)
    .lineWidth(0.8)
    .strokeColor(INK.text)
    .stroke();
  doc.y = y + 6;
}

function subheading(doc: Doc, text: string): void {
  ensureRoom(doc, 80);
  doc.moveDown(0.4);
  doc.font(FONT.bold).fontSize(SIZE.subheading).fillColor(INK.text);
  doc.text(printable(text), PAGE.margin, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.2);
}

function paragraph(doc: Doc, text: string, color = INK.text): void {
  ensureRoom(doc, 20);
  doc.font(FONT.regular).fontSize(SIZE.body).fillColor(color);
  doc.text(printable(text), PAGE.margin, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

/** Draws one row of cells at the current y; returns its height. */
function row(
  doc: Doc,
  columns: Column[],
  cells: string[],
  options: { bold?: boolean; band?: boolean },
): number {
  const width = contentWidth(doc);
  const widths = columns.map((column) => column.share * width);
  const fontOf = (column: Column): string =>
    options.bold ? FONT.bold : column.mono ? FONT.mono : FONT.regular;
  doc.fontSize(SIZE.table);
  const heights = cells.map((cell, index) =>
    doc
      .font(fontOf(columns[index]))
      .heightOfString(printable(cell) || ' ', { width: widths[index] - CELL_PADDING * 2 }),
  );
  const height = Math.max(...heights) + CELL_PADDING * 2;
  if (doc.y + height > pageBottom(doc)) {
    doc.addPage();
    if (!options.bold)
      row(
        doc,
        columns,
        columns.map((column) => column.header),
        { bold: true, band: true },
      );
  }
  const top = doc.y;
  if (options.band) doc.rect(PAGE.margin, top, width, height).fillColor(INK.band).fill();
  let x = PAGE.margin;
  cells.forEach((cell, index) => {
    doc.font(fontOf(columns[index])).fontSize(SIZE.table).fillColor(INK.text);
    doc.text(printable(cell) || ' ', x + CELL_PADDING, top + CELL_PADDING, {
      width: widths[index] - CELL_PADDING * 2,
    });
    x += widths[index];
  });
  doc
    .moveTo(PAGE.margin, top + height)
    .lineTo(PAGE.margin + width, top + height)
    .lineWidth(0.4)
    .strokeColor(INK.rule)
    .stroke();
  doc.x = PAGE.margin;
  doc.y = top + height;
  return height;
}

function table(doc: Doc, columns: Column[], rows: string[][]): void {
  ensureRoom(doc, 40);
  row(
    doc,
    columns,
    columns.map((column) => column.header),
    { bold: true, band: true },
  );
  for (const cells of rows) row(doc, columns, cells, {});
  doc.moveDown(0.5);
}

/** Label and value, one pair a line. */
function facts(doc: Doc, pairs: [string, string][], mono: string[] = []): void {
  const label: Column = { header: '', share: 0.27 };
  for (const [name, value] of pairs) {
    row(doc, [label, { header: '', share: 0.73, mono: mono.includes(name) }], [name, value], {});
  }
  doc.moveDown(0.5);
}

function criterionEvidence(criterion: Deliverable['readiness']['criteria'][number]): string {
  return [
    criterion.evidence,
    criterion.detail ? `result: ${criterion.detail}` : undefined,
    criterion.waiverReason ? `waived: ${criterion.waiverReason}` : undefined,
    criterion.note ? `note: ${criterion.note}` : undefined,
    criterion.expiresAt ? `expires ${when(criterion.expiresAt)}` : undefined,
    criterion.expiredAt ? `expired ${when(criterion.expiredAt)}` : undefined,
    criterion.updatedAt ? `${when(criterion.updatedAt)} by ${who(criterion.updatedBy)}` : undefined,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n');
}

function summary(doc: Doc, pack: Pack): void {
  const { deliverable: d, service, project } = pack;
  heading(doc, 'Deliverable');
  facts(
    doc,
    [
      ['Deliverable id', d.id],
      ['Title', d.title],
      ...(d.description ? ([['Description', d.description]] as [string, string][]) : []),
      ['Status', statusInWords(d.status)],
      ['Change type', words(d.changeType)],
      ['Target go-live', when(d.targetGoLive)],
      ['Submitted by', d.submittedBy ?? 'not submitted'],
      ['Version, round', `version ${d.version}, acceptance round ${d.round}`],
      ['Checklist', d.checklistId ? `template ${d.checklistId}` : 'the built-in default checklist'],
      ['Created, updated', `${when(d.createdAt)}; ${when(d.updatedAt)}`],
    ],
    ['Deliverable id', 'Submitted by'],
  );
  heading(doc, 'Service and project');
  facts(
    doc,
    [
      ['Service', `${service.name} (tier ${service.tier})`],
      ['Service owner, support group', `${service.ownerName ?? '-'}; ${service.supportGroup ?? '-'}`],
      ['Service id', service.id],
      ['Project', `${project.key}: ${project.name} (${project.methodology})`],
      ['Project manager', project.managerName ?? '-'],
      ['Project id', project.id],
    ],
    ['Service id', 'Project id'],
  );
}

function readiness(doc: Doc, pack: Pack): void {
  heading(doc, 'Readiness criteria');
  const criteria = pack.deliverable.readiness.criteria;
  const settled = criteria.filter(
    (criterion) => criterion.status === 'passed' || criterion.status === 'waived',
  );
  paragraph(doc, `${settled.length} of ${criteria.length} passed or waived.`, INK.muted);
  // Each criterion under its ITIL 4 practice's name, as the coverage by practice names it.
  const practiceOf = new Map(
    pack.deliverable.readiness.practices.flatMap((practice) =>
      practice.criteria.map((key) => [key, practice.key === 'unclassified' ? null : practice.name] as const),
    ),
  );
  if (pack.deliverable.readiness.practices.length > 0)
    paragraph(
      doc,
      `By practice: ${pack.deliverable.readiness.practices
        .map((practice) => `${practice.name} ${practice.passed + practice.waived}/${practice.total}`)
        .join('; ')}.`,
      INK.muted,
    );
  table(
    doc,
    [
      { header: 'Criterion', share: 0.27 },
      { header: 'Practice', share: 0.17 },
      { header: 'Mandatory', share: 0.1 },
      { header: 'State', share: 0.1 },
      { header: 'Evidence', share: 0.36 },
    ],
    criteria.map((criterion) => [
      `${criterion.title}\n${criterion.key} (${criterion.kind})`,
      practiceOf.get(criterion.key) ?? `${criterion.practice} (unclassified)`,
      criterion.mandatory ? 'yes' : 'no',
      criterion.status,
      criterionEvidence(criterion),
    ]),
  );
}

function decisions(doc: Doc, pack: Pack): void {
  heading(doc, 'Decisions');
  const approvals = pack.deliverable.approvals;
  if (approvals.length === 0) {
    paragraph(doc, 'No decision recorded.', INK.muted);
    return;
  }
  const rounds = new Map<string, typeof approvals>();
  for (const approval of approvals) {
    const key = `${words(approval.gate)} gate, round ${approval.round}`;
    rounds.set(key, [...(rounds.get(key) ?? []), approval]);
  }
  for (const [round, made] of rounds) {
    subheading(doc, round[0].toUpperCase() + round.slice(1));
    table(
      doc,
      [
        { header: 'Time', share: 0.2 },
        { header: 'Principal', share: 0.16, mono: true },
        { header: 'Role', share: 0.16 },
        { header: 'Decision', share: 0.16 },
        { header: 'Comment', share: 0.32 },
      ],
      made.map((approval) => [
        when(approval.at),
        approval.onBehalfOf
          ? `${who(approval.principalId)}\nfor ${who(approval.onBehalfOf)}`
          : who(approval.principalId),
        approval.role,
        words(approval.decision),
        approval.comment ?? '',
      ]),
    );
  }
}

function goLiveAndEls(doc: Doc, pack: Pack): void {
  const d = pack.deliverable;
  heading(doc, 'Go-live and early life support');
  const exit = d.els.exitCriteria;
  facts(doc, [
    [
      'Go-live window',
      d.goLiveWindow ? `${when(d.goLiveWindow.start)} to ${when(d.goLiveWindow.end)}` : 'not scheduled',
    ],
    ...d.conflicts.map((conflict): [string, string] => [
      'Freeze conflict',
      `${conflict.name}: ${when(conflict.start)} to ${when(conflict.end)}`,
    ]),
    ['ELS period', `period ${d.els.period}, ${d.els.extensions} extension(s), exit round ${d.els.exitRound}`],
    [
      'ELS exit criteria',
      exit
        ? `open P1/P2 incidents within limits: ${exit.incidentsWithinLimits ? 'yes' : 'no'}; ` +
          `every open action owned: ${exit.actionsOwned ? 'yes' : 'no'}`
        : 'not evaluated (never submitted)',
    ],
    ...(d.hold ? ([['On hold', `since ${when(d.hold.at)}: ${d.hold.reason}`]] as [string, string][]) : []),
  ]);
  if (d.incidents.length > 0) {
    subheading(doc, 'Incidents during early life support');
    table(
      doc,
      [
        { header: 'Reference', share: 0.15 },
        { header: 'Priority', share: 0.1 },
        { header: 'Summary', share: 0.39 },
        { header: 'Opened', share: 0.18 },
        { header: 'Resolved', share: 0.18 },
      ],
      d.incidents.map((incident) => [
        incident.reference,
        incident.priority,
        incident.summary,
        when(incident.openedAt),
        incident.resolvedAt ? when(incident.resolvedAt) : 'open',
      ]),
    );
  }
}

function actionsAndLessons(doc: Doc, pack: Pack): void {
  const { actions, lessons } = pack.deliverable;
  if (actions.length > 0) {
    heading(doc, 'Follow-on actions');
    table(
      doc,
      [
        { header: 'Key', share: 0.08 },
        { header: 'Action', share: 0.34 },
        { header: 'Owner', share: 0.12, mono: true },
        { header: 'Due', share: 0.18 },
        { header: 'State', share: 0.28 },
      ],
      actions.map((action) => [
        action.key,
        action.title,
        action.ownerId ? who(action.ownerId) : 'nobody',
        when(action.dueAt),
        action.status === 'closed'
          ? `closed ${when(action.closedAt)}${action.note ? `: ${action.note}` : ''}`
          : 'open',
      ]),
    );
  }
  if (lessons.length > 0) {
    heading(doc, 'Lessons learned');
    table(
      doc,
      [
        { header: 'Time', share: 0.2 },
        { header: 'By', share: 0.12, mono: true },
        { header: 'Lesson', share: 0.68 },
      ],
      lessons.map((lesson) => [when(lesson.at), who(lesson.recordedBy), lesson.text]),
    );
  }
}

function history(doc: Doc, pack: Pack): void {
  heading(doc, 'History');
  paragraph(
    doc,
    `${pack.history.length} audit events, oldest first. Each event's hash is the SHA-256 of the previous ` +
      'hash and the event; the first 16 hex digits are shown.',
    INK.muted,
  );
  table(
    doc,
    [
      { header: 'Seq', share: 0.06 },
      { header: 'Time', share: 0.2 },
      { header: 'Action', share: 0.16 },
      { header: 'Actor', share: 0.11, mono: true },
      { header: 'Status', share: 0.27 },
      { header: 'Hash', share: 0.2, mono: true },
    ],
    pack.history.map((event) => [
      String(event.seq),
      when(event.at),
      words(event.action),
      who(event.principalId),
      event.fromStatus && event.fromStatus !== event.toStatus
        ? `${words(event.fromStatus)} -> ${words(event.toStatus)}`
        : words(event.toStatus),
      event.hash.slice(0, 16),
    ]),
  );
}

function chainAndSignature(doc: Doc, pack: Pack): void {
  heading(doc, 'Audit chain and signature');
  facts(
    doc,
    [
      [
        'Chain verified',
        pack.chain.verified
          ? 'yes: every hash recomputed from the stored events, up to the recorded head'
          : 'NO: the stored chain does not hold',
      ],
      ['Chain head', pack.chain.head ?? '-'],
      ['Format', pack.format],
      ['Generated at', when(pack.generatedAt)],
      ['Signature', `${pack.signature.alg}, key ${pack.signature.keyId}`],
      ['Signature value', pack.signature.value],
    ],
    ['Chain head', 'Signature value'],
  );
  paragraph(
    doc,
    'The signed record is the JSON evidence pack (the same address, Accept: application/json); this document ' +
      'renders it. To check a saved pack offline: npm run verify-pack -- pack.json --jwks keys.json, with the ' +
      'keys saved from GET /v1/evidence-keys.',
    INK.muted,
  );
}

/** Header and footer on every page, once the body is laid out (so "page n of N" is known). */
function stampPages(doc: Doc, pack: Pack): void {
  const range = doc.bufferedPageRange();
  const title = `Baton evidence pack: ${pack.deliverable.title}`;
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // Writing in the margins must not open a page of its own.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    const width = contentWidth(doc);
    doc.font(FONT.regular).fontSize(SIZE.footer).fillColor(INK.muted);
    doc.text(printable(title), PAGE.margin, 30, { width: width * 0.7, lineBreak: false, ellipsis: true });
    doc.text(`Generated ${when(pack.generatedAt)}`, PAGE.margin, 30, {
      width,
      align: 'right',
      lineBreak: false,
    });
    const rule = doc.page.height - PAGE.bottom + 14;
    doc
      .moveTo(PAGE.margin, rule)
      .lineTo(PAGE.margin + width, rule)
      .lineWidth(0.4)
      .strokeColor(INK.rule)
      .stroke();
    doc.font(FONT.mono).fontSize(SIZE.footer).fillColor(INK.muted);
    doc.text(`Chain head: ${pack.chain.head ?? 'none'}`, PAGE.margin, rule + 6, { width, lineBreak: false });
    doc.text(`Key id: ${pack.signature.keyId}`, PAGE.margin, rule + 16, { width, lineBreak: false });
    doc.font(FONT.regular);
    doc.text(`Page ${index - range.start + 1} of ${range.count}`, PAGE.margin, rule + 16, {
      width,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
}

/** The evidence pack as a PDF an auditor reads. */
export function renderEvidencePdf(pack: Pack): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    info: {
      Title: printable(`Evidence pack: ${pack.deliverable.title}`),
      Subject: `Deliverable ${pack.deliverable.id}`,
      Author: 'Baton',
      Keywords: `evidence pack, ${pack.signature.keyId}`,
      CreationDate: new Date(pack.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font(FONT.bold).fontSize(SIZE.title).fillColor(INK.text).text('Evidence pack', PAGE.margin, PAGE.top);
  doc
    .font(FONT.regular)
    .fontSize(SIZE.subheading + 1)
    .text(printable(pack.deliverable.title));
  doc.fontSize(SIZE.body).fillColor(INK.muted);
  doc.text(
    `Handover record of deliverable ${pack.deliverable.id}, made ${when(pack.generatedAt)} and signed ` +
      `(${pack.signature.alg}, key ${pack.signature.keyId}).`,
  );
  if (!pack.chain.verified)
    paragraph(doc, 'Warning: the audit chain did not verify when this pack was made.', INK.bad);
  summary(doc, pack);
  readiness(doc, pack);
  decisions(doc, pack);
  goLiveAndEls(doc, pack);
  actionsAndLessons(doc, pack);
  history(doc, pack);
  chainAndSignature(doc, pack);
  stampPages(doc, pack);
  doc.end();
  return done;
}

/** A file name for the PDF: the title's words and the id's start, ASCII only. */
export function evidencePdfFileName(pack: Pack): string {
  const slug = pack.deliverable.title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `evidence-pack-${slug ? `${slug}-` : ''}${pack.deliverable.id.slice(0, 8)}.pdf`;
}
