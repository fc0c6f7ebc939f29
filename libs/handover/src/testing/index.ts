// @baton/handover's test helpers, a separate entry so the product never loads @xstate/graph.
export {
  ACTORS,
  dueTimer,
  FIXTURE_CRITERIA,
  FIXTURE_POLICY,
  HandoverDriver,
  PATH_CRITERIA,
  PATH_VALID_FOR,
  refusal,
  type CommandInput,
} from './handover-fixtures.js';
export {
  handoverPaths,
  replayHandoverPaths,
  representativeCommands,
  serializeHandoverState,
  type HandoverPath,
  type HandoverPathStep,
  type ReplayedStep,
} from './handover-paths.js';
