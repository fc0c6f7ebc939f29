import type { Status } from './handover.types.js';

export interface GlossaryTerm {
  pmo: string;
  smo: string;
  baton: string;
}

export interface GlossaryStatus {
  status: Status;
  pmo: string;
  smo: string;
  practices: string[];
}

/**
 * One record, two vocabularies: how the PMO (PRINCE2, PMBOK) and the SMO (ITIL) name what Baton calls
 * by one word. Served as is by GET /v1/glossary.
 */
export const GLOSSARY: { terms: GlossaryTerm[]; statuses: GlossaryStatus[] } = {
  terms: [
    {
      pmo: 'Project, programme',
      smo: 'Project management and portfolio management practices; the change the project causes',
      baton: 'project',
    },
    {
      pmo: 'Product, deliverable',
      smo: 'Service, service offering, release, configuration item (CI)',
      baton: 'deliverable, becoming a service',
    },
    {
      pmo: 'Project product description',
      smo: 'Service design package; service level requirements',
      baton: 'deliverable description',
    },
    {
      pmo: 'Acceptance criteria, quality criteria',
      smo: 'Service acceptance criteria (SAC)',
      baton: 'readiness criteria (from a checklist template)',
    },
    {
      pmo: 'Quality register, quality review; Control Quality',
      smo: 'Service validation and testing (test evidence)',
      baton: 'criterion result with evidence',
    },
    {
      pmo: 'Validate Scope: accepted deliverables (PMBOK)',
      smo: 'Service validation, operational acceptance',
      baton: 'acceptance gate',
    },
    {
      pmo: 'Stage gate, stage boundary, end stage assessment',
      smo: 'Change authorization (change authority, CAB); go/no-go',
      baton: 'approval gate and policy',
    },
    {
      pmo: 'Project board (executive, senior user, senior supplier)',
      smo: 'Change authority, service owner, support leads',
      baton: 'approver roles',
    },
    { pmo: 'Work package', smo: 'Change task, work order', baton: 'readiness criterion owner task' },
    {
      pmo: 'Stage plan, schedule',
      smo: 'Change schedule (forward schedule of change), release and deployment plan',
      baton: 'go-live window',
    },
    { pmo: 'Issue, off-specification', smo: 'Incident, problem, known error', baton: 'ELS incident' },
    {
      pmo: 'Hand over products (PRINCE2); transition to operations (PMBOK Close Project or Phase)',
      smo: 'Release and deployment; transition to business as usual',
      baton: 'go-live confirmation through operational',
    },
    { pmo: 'Warranty period, hypercare', smo: 'Early life support (ELS)', baton: 'early_life_support' },
    {
      pmo: 'Acceptance records (user, operations and maintenance)',
      smo: 'Operational acceptance sign-off',
      baton: 'els_exit gate decisions',
    },
    {
      pmo: 'Follow-on action recommendations',
      smo: 'Known errors, problem records, improvement register',
      baton: 'follow-on actions',
    },
    {
      pmo: 'Lessons report',
      smo: 'Post-implementation review (PIR), continual improvement register',
      baton: 'lessons',
    },
    { pmo: 'End project report', smo: 'Change evaluation, transition report', baton: 'closure report' },
    {
      pmo: 'Benefits review',
      smo: 'Value realization, service level reporting',
      baton: 'benefits review reminder',
    },
    {
      pmo: 'Closing a project; premature close',
      smo: 'End of ELS, service live in the catalogue; change withdrawn or backed out',
      baton: 'operational; cancelled, rollback',
    },
    {
      pmo: 'Project portfolio',
      smo: 'Service portfolio (pipeline, catalogue, retired)',
      baton: 'services',
    },
  ],
  statuses: [
    {
      status: 'draft',
      pmo: 'product description in preparation',
      smo: 'not yet visible as a transition',
      practices: ['project management'],
    },
    {
      status: 'readiness',
      pmo: 'quality review of the product against its acceptance criteria',
      smo: 'service acceptance criteria being verified',
      practices: [
        'service validation and testing',
        'knowledge management',
        'monitoring and event management',
        'service configuration management',
      ],
    },
    {
      status: 'acceptance',
      pmo: 'awaiting acceptance (Validate Scope, stage gate)',
      smo: 'service acceptance decision (change authority)',
      practices: ['change enablement', 'service level management'],
    },
    {
      status: 'rework',
      pmo: 'off-specification, corrective work',
      smo: 'returned to the project',
      practices: ['project management'],
    },
    {
      status: 'approved',
      pmo: 'accepted deliverable, ready to hand over',
      smo: 'authorized change, awaiting its schedule',
      practices: ['change enablement'],
    },
    {
      status: 'scheduled',
      pmo: 'handover planned',
      smo: 'go-live window in the change schedule',
      practices: ['release management', 'deployment management'],
    },
    {
      status: 'early_life_support',
      pmo: 'warranty, hypercare',
      smo: 'early life support',
      practices: [
        'incident management',
        'problem management',
        'service desk',
        'monitoring and event management',
      ],
    },
    {
      status: 'els_review',
      pmo: 'acceptance records being signed',
      smo: 'operational acceptance review',
      practices: ['service level management'],
    },
    {
      status: 'operational',
      pmo: 'products handed over, project closed',
      smo: 'live service in business as usual',
      practices: ['service catalogue management'],
    },
    { status: 'on_hold', pmo: 'exception, paused', smo: 'transition paused', practices: [] },
    { status: 'cancelled', pmo: 'premature close', smo: 'change withdrawn', practices: [] },
    { status: 'rejected', pmo: 'deliverable not accepted', smo: 'service not taken over', practices: [] },
  ],
};
