// Every type the console reads from the API, derived from the generated OpenAPI types (schema.d.ts,
// `node scripts/generate-api-types.mjs`): none is written by hand.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

/** The JSON body of a path's successful GET. */
export type GetJson<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

export type Deliverable = Schemas['Deliverable'];
export type DeliverablePage = Schemas['DeliverablePage'];
export type Criterion = Schemas['Criterion'];
export type Approval = Schemas['Approval'];
export type Gate = Schemas['Gate'];
export type Incident = Schemas['Incident'];
export type AuditEvent = Schemas['AuditEvent'];
export type Reminder = Schemas['Reminder'];
export type Policy = Schemas['Policy'];
export type PolicyRequest = Schemas['PolicyRequest'];
export type Checklist = Schemas['Checklist'];
export type ChecklistRequest = Schemas['ChecklistRequest'];
export type ChecklistCriterion = Schemas['ChecklistCriterion'];
export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type Service = Schemas['Service'];
export type Project = Schemas['Project'];
export type Principal = Schemas['Principal'];
export type PrincipalWithToken = Schemas['PrincipalWithToken'];
export type Workflow = Schemas['Workflow'];
export type Glossary = Schemas['Glossary'];
export type Problem = Schemas['Problem'];
export type CreateDeliverableRequest = Schemas['CreateDeliverableRequest'];

export type Me = GetJson<'/v1/me'>;
export type Inbox = GetJson<'/v1/inbox'>;
export type InboxItem = Inbox['items'][number];
export type AuthConfig = GetJson<'/v1/auth/config'>;

export type Status = Deliverable['status'];
export type Action = Deliverable['allowedActions'][number];
export type ChangeType = Deliverable['changeType'];
export type Priority = Incident['priority'];
export type Decision = Approval['decision'];
export type GateName = Approval['gate'];
export type Methodology = Project['methodology'];
export type CreateWebhookRequest = Schemas['CreateWebhookRequest'];
export type WebhookEventType = CreateWebhookRequest['events'][number];
export type FreezeWindow = Schemas['FreezeWindow'];
export type Delegation = Schemas['Delegation'];
export type Practice = Schemas['Practice'];
export type PracticeCoverage = Schemas['PracticeCoverage'];
export type RegisterLesson = Schemas['RegisterLesson'];
