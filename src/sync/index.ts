export { createSyncEngine } from './create-sync-engine.js';
export { DEFAULT_SYNC_ENGINE_OPTIONS } from './engine-core.js';
export { isSyncEngineError, SyncEngineError } from './sync-engine-error.js';
export type {
  AuthorizeFunction,
  CustomerStatus,
  CustomerSyncState,
  DriftEntry,
  DuplicateAuditGroup,
  InitialSyncPlan,
  InitialSyncProgress,
  InitialSyncReport,
  PlanAction,
  PlanWarning,
  SaveOutcome,
  SaveWaitReason,
  SyncAction,
  SyncActor,
  SyncEngine,
  SyncEngineOptions,
  SyncError,
  SyncErrorKind,
  SyncEvent,
  SyncSource,
  SyncSummary,
  WaitForOutcomeOptions,
} from './sync-engine-types.js';
