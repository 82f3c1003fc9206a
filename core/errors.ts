/**
 * Bad input from the user (argument, config, CSV, thresholds file, missing tool).
 * The CLI prints `writegate: <message>` on one line and exits 2; no stack trace.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string) {
    super(message);
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
