export { writeFileAtomicSync, writeFilesAtomicSync, tempPathFor, type BatchEntry } from './atomic-write.js';
export { WriteError, WriteConflictError, type WriteStep } from './errors.js';
export { sha256 } from './content.js';
export { nodeIo, type SyncIo } from './io.js';
export { WRITE_MODES, type WriteMode, type WriteOptions, type WriteStats, type ExpectedContent } from './types.js';
