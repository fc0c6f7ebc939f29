import { Init1764270000000 } from './1764270000000-init.js';
import { Handover1764280000000 } from './1764280000000-handover.js';
import { Webhooks1764290000000 } from './1764290000000-webhooks.js';
import { Hardening1764300000000 } from './1764300000000-hardening.js';
import { Oidc1764310000000 } from './1764310000000-oidc.js';
import { OutboxDone1764320000000 } from './1764320000000-outbox-done.js';
import { Installation1764330000000 } from './1764330000000-installation.js';
import { PrincipalChanges1764340000000 } from './1764340000000-principal-changes.js';
import { EventStream1764350000000 } from './1764350000000-event-stream.js';
import { FreezeWindows1764360000000 } from './1764360000000-freeze-windows.js';
import { TimerSubject1764370000000 } from './1764370000000-timer-subject.js';
import { Delegations1764380000000 } from './1764380000000-delegations.js';
import { EvidenceKeys1764390000000 } from './1764390000000-evidence-keys.js';
import { FeedTokens1764400000000 } from './1764400000000-feed-tokens.js';
import { LessonsRegister1764410000000 } from './1764410000000-lessons-register.js';
import { Correlation1764420000000 } from './1764420000000-correlation.js';

/** Every migration, oldest first. A new migration is added here (CI's drift check runs them all). */
export const MIGRATIONS = [
  Init1764270000000,
  Handover1764280000000,
  Webhooks1764290000000,
  Hardening1764300000000,
  Oidc1764310000000,
  OutboxDone1764320000000,
  Installation1764330000000,
  PrincipalChanges1764340000000,
  EventStream1764350000000,
  FreezeWindows1764360000000,
  TimerSubject1764370000000,
  Delegations1764380000000,
  EvidenceKeys1764390000000,
  FeedTokens1764400000000,
  LessonsRegister1764410000000,
  Correlation1764420000000,
];
