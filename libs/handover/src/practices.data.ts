import type { Status } from './handover.types.js';

// The 34 ITIL 4 management practices, with the places where each meets PRINCE2 (its themes and processes) and
// PMBOK (its performance domains), and the handover statuses where it matters. The names are ITIL's published
// ones; the purposes and touchpoints are Baton's own reading, written for the two offices that meet here.

export const PRACTICE_GROUPS = ['general', 'service', 'technical'] as const;
export type PracticeGroup = (typeof PRACTICE_GROUPS)[number];

/** PRINCE2's seven themes and seven processes: what a practice can touch on the project side. */
export const PRINCE2_TOUCHPOINTS = [
  'Business case',
  'Organization',
  'Quality',
  'Plans',
  'Risk',
  'Change',
  'Progress',
  'Starting up a project',
  'Directing a project',
  'Initiating a project',
  'Controlling a stage',
  'Managing product delivery',
  'Managing a stage boundary',
  'Closing a project',
] as const;
export type Prince2Touchpoint = (typeof PRINCE2_TOUCHPOINTS)[number];

/** PMBOK's eight project performance domains. */
export const PMBOK_DOMAINS = [
  'Stakeholders',
  'Team',
  'Development approach and life cycle',
  'Planning',
  'Project work',
  'Delivery',
  'Measurement',
  'Uncertainty',
] as const;
export type PmbokDomain = (typeof PMBOK_DOMAINS)[number];

export interface Practice {
  /** lower_snake, stable: what a checklist criterion stores. */
  key: string;
  name: string;
  group: PracticeGroup;
  purpose: string;
  prince2: Prince2Touchpoint[];
  pmbok: PmbokDomain[];
  statuses: Status[];
}

const practice = (
  key: string,
  name: string,
  group: PracticeGroup,
  purpose: string,
  prince2: Prince2Touchpoint[],
  pmbok: PmbokDomain[],
  statuses: Status[],
): Practice => ({ key, name, group, purpose, prince2, pmbok, statuses });

export const PRACTICES: readonly Practice[] = [
  // General management practices
  practice(
    'architecture_management',
    'Architecture management',
    'general',
    'Keep the parts of the organisation and its technology understood and fitting together, so a change lands where it fits.',
    ['Initiating a project', 'Quality'],
    ['Development approach and life cycle', 'Planning'],
    ['draft', 'readiness'],
  ),
  practice(
    'continual_improvement',
    'Continual improvement',
    'general',
    'Keep making services and ways of working better, from what was learned: the lessons of every handover included.',
    ['Closing a project', 'Progress'],
    ['Measurement', 'Team'],
    ['els_review', 'operational'],
  ),
  practice(
    'information_security_management',
    'Information security management',
    'general',
    'Protect the confidentiality, integrity and availability of the information the service handles.',
    ['Risk', 'Quality', 'Managing product delivery'],
    ['Uncertainty', 'Delivery'],
    ['readiness', 'acceptance'],
  ),
  practice(
    'knowledge_management',
    'Knowledge management',
    'general',
    'Make what people need to know (runbooks, known errors, decisions) easy to find and use when they need it.',
    ['Quality', 'Closing a project'],
    ['Team', 'Delivery'],
    ['readiness', 'early_life_support', 'operational'],
  ),
  practice(
    'measurement_and_reporting',
    'Measurement and reporting',
    'general',
    'Collect and report the data that decisions about services and projects rest on.',
    ['Progress', 'Controlling a stage'],
    ['Measurement'],
    ['early_life_support', 'els_review'],
  ),
  practice(
    'organizational_change_management',
    'Organizational change management',
    'general',
    'Bring people along with a change: they know why, are trained and use the new service as meant.',
    ['Organization', 'Managing a stage boundary'],
    ['Stakeholders', 'Team'],
    ['readiness', 'scheduled', 'early_life_support'],
  ),
  practice(
    'portfolio_management',
    'Portfolio management',
    'general',
    'Choose and balance the programmes, projects and services worth investing in.',
    ['Business case', 'Directing a project'],
    ['Planning', 'Stakeholders'],
    ['draft'],
  ),
  practice(
    'project_management',
    'Project management',
    'general',
    'Plan, run and close projects so that they deliver what was agreed, within their tolerances.',
    ['Plans', 'Progress', 'Controlling a stage', 'Closing a project'],
    ['Planning', 'Project work', 'Delivery'],
    ['draft', 'rework', 'approved'],
  ),
  practice(
    'relationship_management',
    'Relationship management',
    'general',
    'Keep the links with stakeholders (customers, users, partners) working at every level.',
    ['Organization', 'Directing a project'],
    ['Stakeholders'],
    ['acceptance', 'els_review'],
  ),
  practice(
    'risk_management',
    'Risk management',
    'general',
    'Know the risks a change or a service carries, and treat them deliberately.',
    ['Risk', 'Managing a stage boundary'],
    ['Uncertainty'],
    ['readiness', 'acceptance', 'scheduled'],
  ),
  practice(
    'service_financial_management',
    'Service financial management',
    'general',
    'Plan and account for what services cost and earn, so that money decisions are informed.',
    ['Business case'],
    ['Planning', 'Measurement'],
    ['draft', 'operational'],
  ),
  practice(
    'strategy_management',
    'Strategy management',
    'general',
    'Set where the organisation is going and make the portfolio follow it.',
    ['Business case', 'Directing a project'],
    ['Stakeholders', 'Planning'],
    ['draft'],
  ),
  practice(
    'supplier_management',
    'Supplier management',
    'general',
    'Make sure suppliers and their contracts support the service as it needs.',
    ['Organization', 'Managing product delivery'],
    ['Project work', 'Stakeholders'],
    ['readiness', 'operational'],
  ),
  practice(
    'workforce_and_talent_management',
    'Workforce and talent management',
    'general',
    'Have people with the right skills in the right roles, the support team that takes the service over included.',
    ['Organization'],
    ['Team'],
    ['readiness', 'early_life_support'],
  ),
  // Service management practices
  practice(
    'availability_management',
    'Availability management',
    'service',
    'Make sure the service is there when users need it, as agreed.',
    ['Quality'],
    ['Delivery', 'Measurement'],
    ['readiness', 'early_life_support'],
  ),
  practice(
    'business_analysis',
    'Business analysis',
    'service',
    'Understand the business need and turn it into requirements a solution can meet.',
    ['Starting up a project', 'Business case', 'Quality'],
    ['Stakeholders', 'Planning'],
    ['draft', 'rework'],
  ),
  practice(
    'capacity_and_performance_management',
    'Capacity and performance management',
    'service',
    'Give the service the capacity and performance it needs now and as demand grows.',
    ['Quality', 'Plans'],
    ['Delivery', 'Measurement'],
    ['readiness', 'early_life_support'],
  ),
  practice(
    'change_enablement',
    'Change enablement',
    'service',
    'Get changes done with their risks assessed, authorised and scheduled: the change authority decides here.',
    ['Change', 'Managing a stage boundary'],
    ['Delivery', 'Uncertainty'],
    ['acceptance', 'approved', 'scheduled'],
  ),
  practice(
    'incident_management',
    'Incident management',
    'service',
    'Restore normal service as fast as possible when it fails; in early life support, with the project still at hand.',
    ['Quality', 'Closing a project'],
    ['Delivery'],
    ['early_life_support', 'els_review', 'operational'],
  ),
  practice(
    'it_asset_management',
    'IT asset management',
    'service',
    'Know and manage the assets a service is made of through their whole life.',
    ['Managing product delivery'],
    ['Project work'],
    ['readiness', 'operational'],
  ),
  practice(
    'monitoring_and_event_management',
    'Monitoring and event management',
    'service',
    'Watch the service and its parts, and act on the events that matter.',
    ['Quality'],
    ['Measurement', 'Delivery'],
    ['readiness', 'early_life_support'],
  ),
  practice(
    'problem_management',
    'Problem management',
    'service',
    'Find and remove the causes of incidents, and manage the known errors meanwhile.',
    ['Quality', 'Closing a project'],
    ['Uncertainty'],
    ['early_life_support', 'els_review'],
  ),
  practice(
    'release_management',
    'Release management',
    'service',
    'Make new and changed services and features available for use.',
    ['Managing product delivery', 'Managing a stage boundary'],
    ['Delivery', 'Development approach and life cycle'],
    ['approved', 'scheduled'],
  ),
  practice(
    'service_catalogue_management',
    'Service catalogue management',
    'service',
    'Keep one accurate description of the services on offer, the new one included once it goes live.',
    ['Closing a project'],
    ['Delivery', 'Stakeholders'],
    ['scheduled', 'operational'],
  ),
  practice(
    'service_configuration_management',
    'Service configuration management',
    'service',
    'Keep accurate information on how services and their configuration items are built and related.',
    ['Quality', 'Managing product delivery'],
    ['Project work'],
    ['readiness', 'scheduled', 'operational'],
  ),
  practice(
    'service_continuity_management',
    'Service continuity management',
    'service',
    'Keep the service going, or bring it back in time, when a disaster strikes.',
    ['Risk', 'Quality'],
    ['Uncertainty'],
    ['readiness', 'acceptance'],
  ),
  practice(
    'service_design',
    'Service design',
    'service',
    'Design services that are fit for purpose and for use, and the ways to run them.',
    ['Initiating a project', 'Quality', 'Plans'],
    ['Development approach and life cycle', 'Planning'],
    ['draft', 'rework'],
  ),
  practice(
    'service_desk',
    'Service desk',
    'service',
    'Be the single point of contact for users, briefed and ready before the service goes live.',
    ['Organization', 'Closing a project'],
    ['Stakeholders', 'Team'],
    ['readiness', 'early_life_support', 'operational'],
  ),
  practice(
    'service_level_management',
    'Service level management',
    'service',
    'Agree business-based targets for service performance, and report against them.',
    ['Quality', 'Business case'],
    ['Measurement', 'Stakeholders'],
    ['readiness', 'els_review', 'operational'],
  ),
  practice(
    'service_request_management',
    'Service request management',
    'service',
    "Handle users' predefined requests (access, information, standard changes) well and consistently.",
    ['Quality'],
    ['Delivery'],
    ['readiness', 'operational'],
  ),
  practice(
    'service_validation_and_testing',
    'Service validation and testing',
    'service',
    'Show that new or changed services meet their requirements before they are accepted.',
    ['Quality', 'Managing product delivery'],
    ['Delivery', 'Measurement'],
    ['readiness', 'acceptance'],
  ),
  // Technical management practices
  practice(
    'deployment_management',
    'Deployment management',
    'technical',
    'Move new or changed hardware, software and documentation into live environments.',
    ['Managing product delivery'],
    ['Delivery', 'Development approach and life cycle'],
    ['scheduled', 'early_life_support'],
  ),
  practice(
    'infrastructure_and_platform_management',
    'Infrastructure and platform management',
    'technical',
    'Run the infrastructure and platforms services run on, in house or in the cloud.',
    ['Managing product delivery'],
    ['Project work', 'Delivery'],
    ['readiness', 'operational'],
  ),
  practice(
    'software_development_and_management',
    'Software development and management',
    'technical',
    "Build and look after software that meets its users' needs and the organisation's standards.",
    ['Managing product delivery', 'Quality'],
    ['Development approach and life cycle', 'Project work'],
    ['draft', 'rework'],
  ),
];

const BY_KEY = new Map(PRACTICES.map((p) => [p.key, p]));
const BY_NAME = new Map(PRACTICES.map((p) => [p.name.toLowerCase(), p]));

/** The practice a criterion names, by key or by name in any case; undefined when it names none. */
export function findPractice(keyOrName: string): Practice | undefined {
  const text = keyOrName.trim().toLowerCase();
  return BY_KEY.get(text) ?? BY_NAME.get(text) ?? BY_KEY.get(text.replace(/[\s-]+/g, '_'));
}

/** The touchpoints as a Markdown table (docs/PRACTICES.md is this, checked by a test). */
export function practicesTable(): string {
  const rows = PRACTICES.map(
    (p) =>
      `| ${p.name} | ${p.group} | ${p.prince2.join(', ')} | ${p.pmbok.join(', ')} | ${p.statuses.join(', ')} |`,
  );
  return [
    '# ITIL 4 practices where they meet PRINCE2 and PMBOK',
    '',
    'Served by `GET /v1/practices` (libs/handover/src/practices.data.ts); this page is generated from it.',
    '',
    '| practice | group | PRINCE2 themes and processes | PMBOK performance domains | handover statuses |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
