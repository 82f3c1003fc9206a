import { selfScriptArgv } from '../self-script.js';
import { WRITE_MODES } from '../writer/types.js';
import type { InProcessWriter } from './builtins/in-process.js';
import type { OneShot, OneShotOptions, WriteOutcome, WriteRequest, WriterSubject } from './types.js';

function failure(error: unknown): WriteOutcome {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/** The in-process transport: built-ins are called directly; their one-shot is `builtin-once`. */
export function inProcessSubject(writer: InProcessWriter): WriterSubject {
  return {
    name: writer.name,
    kind: 'builtin',
    description: writer.description,
    modes: WRITE_MODES,
    async open() {
      const session = {
        async write(request: WriteRequest): Promise<WriteOutcome> {
          try {
            await writer.write(request.target, request.content, request.mode);
            return { ok: true };
          } catch (error) {
            return failure(error);
          }
        },
        async close() {},
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
