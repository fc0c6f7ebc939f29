import type { CriterionSpec } from './criterion.js';

/**
 * The built-in readiness checklist, used when no template matches a deliverable (GLOSSARY.md).
 * Criteria checked before the acceptance decision are mandatory; go-live ones are advisory at that gate.
 * "Automated" covers evidence an integration posts or a person attests; none carries a probe URL, so the
 * default never makes the worker call out.
 */
export const DEFAULT_CHECKLIST: { name: string; version: number; criteria: CriterionSpec[] } = {
  name: 'default',
  version: 1,
  criteria: [
    criterion(
      'service-owner',
      'Service owner and support groups named and accepted',
      'service catalogue management',
      'automated',
      'acceptance',
    ),
    criterion(
      'catalogue-entry',
      'Service catalogue entry drafted',
      'service catalogue management',
      'automated',
      'acceptance',
    ),
    criterion(
      'cmdb',
      'Configuration items and their dependencies registered',
      'service configuration management',
      'automated',
      'acceptance',
    ),
    criterion(
      'slo',
      'SLA and SLO targets agreed, SLIs instrumented',
      'service level management',
      'automated',
      'acceptance',
    ),
    criterion(
      'monitoring',
      'Monitoring, dashboards and alerts routed to on-call',
      'monitoring and event management',
      'automated',
      'go_live',
    ),
    criterion(
      'on-call',
      'On-call rota and escalation path active',
      'incident management',
      'automated',
      'go_live',
    ),
    criterion(
      'runbooks',
      'Runbooks and knowledge articles published',
      'knowledge management',
      'automated',
      'go_live',
    ),
    criterion(
      'service-desk',
      'Service desk briefed, support model agreed',
      'service desk',
      'manual',
      'go_live',
    ),
    criterion(
      'testing',
      'Functional, acceptance and performance tests passed, evidence attached',
      'service validation and testing',
      'automated',
      'acceptance',
    ),
    criterion(
      'security',
      'Security review and vulnerability scan done',
      'information security management',
      'automated',
      'acceptance',
    ),
    criterion(
      'capacity',
      'Capacity plan made, load tested at twice the expected load',
      'capacity and performance management',
      'automated',
      'acceptance',
    ),
    criterion(
      'continuity',
      'Backup and restore tested, DR plan with RTO and RPO',
      'service continuity management',
      'automated',
      'go_live',
    ),
    criterion(
      'release',
      'Release package versioned, release notes written',
      'release management',
      'automated',
      'go_live',
    ),
    criterion(
      'deployment',
      'Deployment automated, rollback tested',
      'deployment management',
      'automated',
      'go_live',
    ),
    criterion(
      'change',
      'Change authorized, window outside any blackout',
      'change enablement',
      'automated',
      'go_live',
    ),
    criterion(
      'follow-on',
      'Known defects handed over as follow-on actions',
      'problem management',
      'automated',
      'go_live',
    ),
    criterion(
      'suppliers',
      'Supplier and underpinning contracts in place',
      'supplier management',
      'manual',
      'go_live',
    ),
    criterion(
      'training',
      'User communications and training done',
      'organizational change management',
      'manual',
      'go_live',
    ),
    criterion(
      'els-plan',
      'ELS plan agreed: duration, hypercare team, exit criteria',
      'release management, service level management',
      'manual',
      'acceptance',
    ),
  ],
};

function criterion(
  key: string,
  title: string,
  practice: string,
  kind: CriterionSpec['kind'],
  blocks: 'acceptance' | 'go_live',
): CriterionSpec {
  return { key, title, practice, mandatory: blocks === 'acceptance', kind, blocks };
}
