import { selfScriptArgv } from '../self-script.js';
import { WRITE_MODES } from '../writer/types.js';
import type { InProcessWriter } from './builtins/in-process.js';
import type {
  BatchCapability,
  BatchRequest,
  OneShot,
  OneShotOptions,
  WriteOutcome,
  WriteRequest,
  WriterSession,
  WriterSubject,
} from './types.js';

function failure(error: unknown): WriteOutcome {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/**
 * The in-process transport: built-ins are called directly; their one-shot is `builtin-once`, and
 * their batch one-shots `builtin-batch-once` (the batch form, or with --per-file the single write per file).
 */
export function inProcessSubject(writer: InProcessWriter): WriterSubject {
  const writeBatch = writer.writeBatch?.bind(writer);
  const batch: BatchCapability | undefined = writeBatch && {
    oneShot(request): OneShot {
      const pairs = request.files.flatMap((file) => [file.source, file.target]);
      return { argv: selfScriptArgv('core/subjects/builtin-batch-once.ts', [writer.name, request.mode, ...pairs]) };
    },
    perFileOneShot(request): OneShot {
      const pairs = request.files.flatMap((file) => [file.source, file.target]);
      return {
        argv: selfScriptArgv('core/subjects/builtin-batch-once.ts', [
          '--per-file',
          writer.name,
          request.mode,
          ...pairs,
        ]),
      };
    },
  };
  return {
    ...(batch ? { batch } : {}),
    name: writer.name,
    kind: 'builtin',
    description: writer.description,
    modes: WRITE_MODES,
    async open() {
      const session: WriterSession = {
        async write(request: WriteRequest): Promise<WriteOutcome> {
          try {
            await writer.write(request.target, request.content, request.mode);
            return { ok: true };
          } catch (error) {
            return failure(error);
          }
        },
        async close() {},
        ...(writeBatch
          ? {
              async writeBatch(request: BatchRequest): Promise<WriteOutcome> {
                try {
                  await writeBatch(request.files, request.mode);
                  return { ok: true };
                } catch (error) {
                  return failure(error);
                }
              },
            }
          : {}),
      };
      if (!writer.synchronous) return session;
      return {
        ...session,
        writeSync(request: WriteRequest): WriteOutcome {
          try {
            void writer.write(request.target, request.content, request.mode);
            return { ok: true };
          } catch (error) {
            return failure(error);
          }
        },
      };
    },
    async calibrate() {
      return undefined;
    },
    oneShot(request, options?: OneShotOptions): OneShot {
      const flags = [
        ...(options?.lock ? ['--lock'] : []),
        ...(options?.expectSha256 ? ['--expect-sha256', options.expectSha256] : []),
      ];
      return {
        argv: selfScriptArgv('core/subjects/builtin-once.ts', [
          writer.name,
          request.mode,
          request.source,
          request.target,
          ...flags,
        ]),
      };
    },
  };
}
