import type { WriteMode } from '../../writer/types.js';

/** A built-in writer: a function that writes `content` to `target` in this process, or throws. */
export interface InProcessWriter {
  name: string;
  description: string;
  /** True when `write` does all its work synchronously (it may still return a promise). */
  synchronous: boolean;
  write(
    target: string,
    content: Buffer,
    mode: WriteMode,
    options?: { lock?: boolean; expectSha256?: string },
  ): void | Promise<void>;
  /** The batch form, when the writer has one: every file written in one call. */
  writeBatch?(files: readonly { target: string; content: Buffer }[], mode: WriteMode): void | Promise<void>;
}
