/** The step of the write path at which a write failed. */
export type WriteStep =
  | 'invalid_input'
  | 'lock'
  | 'conflict'
  | 'temp_create'
  | 'write'
  | 'sync'
  | 'rename'
  | 'dir_sync';

/**
 * Every failure of the reference writer is a WriteError: the step, the errno code the OS gave
 * (when there was one) and the cause. Before `rename` the target is untouched and the temp file
 * has been removed; a `dir_sync` failure means the new content is in place but may not be durable.
 */
export class WriteError extends Error {
  override readonly name: string = 'WriteError';
  readonly step: WriteStep;
  readonly code: string | undefined;
  readonly errno: number | undefined;
  readonly target: string;

  constructor(step: WriteStep, target: string, message: string, cause?: unknown) {
    super(`${step}: ${message}`, cause === undefined ? undefined : { cause });
    this.step = step;
    this.target = target;
    const sys = cause as NodeJS.ErrnoException | undefined;
    this.code = sys?.code;
    this.errno = sys?.errno;
  }
}

/** The current content did not match what the caller expected (compare-and-swap). */
export class WriteConflictError extends WriteError {
  override readonly name = 'WriteConflictError';
  readonly expected: string;
  readonly actual: string;

  constructor(target: string, expected: string, actual: string) {
    super('conflict', target, `${target}: expected ${expected}, found ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

export function describeErrno(error: unknown): string {
  const sys = error as NodeJS.ErrnoException | undefined;
  // Node's own messages already start with the code ("ENOSPC: no space left on device, write").
  if (sys && typeof sys === 'object' && typeof sys.code === 'string')
    return sys.message.startsWith(sys.code) ? sys.message : `${sys.code}: ${sys.message}`;
  return error instanceof Error ? error.message : String(error);
}
