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
      'service_catalogue_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'catalogue-entry',
      'Service catalogue entry drafted',
      'service_catalogue_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'cmdb',
      'Configuration items and their dependencies registered',
      'service_configuration_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'slo',
      'SLA and SLO targets agreed, SLIs instrumented',
      'service_level_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'monitoring',
      'Monitoring, dashboards and alerts routed to on-call',
      'monitoring_and_event_management',
      'automated',
      'go_live',
    ),
    criterion(
      'on-call',
      'On-call rota and escalation path active',
      'incident_management',
      'automated',
      'go_live',
    ),
    criterion(
      'runbooks',
      'Runbooks and knowledge articles published',
      'knowledge_management',
      'automated',
      'go_live',
    ),
    criterion(
      'service-desk',
      'Service desk briefed, support model agreed',
      'service_desk',
      'manual',
      'go_live',
    ),
    criterion(
      'testing',
      'Functional, acceptance and performance tests passed, evidence attached',
      'service_validation_and_testing',
      'automated',
      'acceptance',
    ),
    criterion(
      'security',
      'Security review and vulnerability scan done',
      'information_security_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'capacity',
      'Capacity plan made, load tested at twice the expected load',
      'capacity_and_performance_management',
      'automated',
      'acceptance',
    ),
    criterion(
      'continuity',
      'Backup and restore tested, DR plan with RTO and RPO',
      'service_continuity_management',
      'automated',
      'go_live',
    ),
    criterion(
      'release',
      'Release package versioned, release notes written',
      'release_management',
      'automated',
      'go_live',
    ),
    criterion(
      'deployment',
      'Deployment automated, rollback tested',
      'deployment_management',
      'automated',
      'go_live',
    ),
    criterion(
      'change',
      'Change authorized, window outside any blackout',
      'change_enablement',
      'automated',
      'go_live',
    ),
    criterion(
      'follow-on',
      'Known defects handed over as follow-on actions',
      'problem_management',
      'automated',
      'go_live',
    ),
    criterion(
      'suppliers',
      'Supplier and underpinning contracts in place',
      'supplier_management',
      'manual',
      'go_live',
    ),
    criterion(
      'training',
      'User communications and training done',
      'organizational_change_management',
      'manual',
      'go_live',
    ),
    criterion(
      'els-plan',
      'ELS plan agreed: duration, hypercare team, exit criteria',
      'release_management',
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
