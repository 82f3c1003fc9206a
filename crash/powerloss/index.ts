/** The power-loss persistence models and crash-state explorer: the engine the trace bridge calls. */
export type { InodeId, LogicalOp, InitialState, PowerLossInput, ModelId } from './types.js';
export {
  explore,
  VIOLATIONS_KEPT,
  type Exploration,
  type ExploreOptions,
  type Violation,
  type CheckCount,
} from './explore.js';
export { MODELS, type PersistenceModel } from './models/index.js';
export { materialize, distinctStates, treeKey, relativeDirPaths, type DistinctState } from './materialize.js';
export {
  lostOps,
  resolveEntries,
  resolveTarget,
  ContentCache,
  type CrashState,
  type FileOutcome,
  type MetadataChoice,
  type ContentRecipe,
} from './state.js';
export { StateSpace, type StateBlock } from './space.js';
export { selectStates, DEFAULT_MAX_STATES, DEFAULT_SEED, type Selection } from './selection.js';
export { EXHAUSTIVE_LIMIT } from './file-outcomes.js';
export { Content, BLOCK_SIZE } from './content.js';
export type { TargetView } from './target-view.js';
export type { CheckName } from './explain.js';
export { RunBuilder } from './run-builder.js';
