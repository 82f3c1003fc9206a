import { requireExecutable } from '../executable.js';
import { selfScriptArgv } from '../self-script.js';
import { WRITE_MODES } from '../writer/types.js';
import { answersUnknownOp, DriverConnection, type DriverResponse } from './driver-protocol.js';
import { wallTimes } from './overhead.js';
import { refuseUnknownPlaceholders, splitTemplate } from './template.js';
import type { BatchRequest, OneShot, TransportOverhead, WriteOutcome, WriteRequest, WriterSubject } from './types.js';

export interface DriverSubjectSpec {
  name: string;
  /** The driver's command line (split like a shell line, run without one). */
  command: string;
}

/** The persistent-driver transport: one long-running process per session, JSON lines both ways. */
export function driverSubject(spec: DriverSubjectSpec): WriterSubject {
  const argv = splitTemplate(spec.command, `driver ${spec.name}`);
  refuseUnknownPlaceholders(
    argv,
    [],
    `driver ${spec.name}`,
    'a driver command takes none (paths arrive in its JSON requests)',
  );
  requireExecutable(argv[0] as string, `driver ${spec.name}`);
  return {
    name: spec.name,
    kind: 'driver',
    description: `persistent driver: ${spec.command}`,
    modes: WRITE_MODES,
    async open() {
      const connection = new DriverConnection(argv);
      return {
        async write(request: WriteRequest) {
          const response = await connection.request({
            op: 'write',
            source: request.source,
            target: request.target,
            mode: request.mode,
          });
          return response.ok ? { ok: true } : { ok: false, error: response.error };
        },
        async writeBatch(request: BatchRequest) {
          const files = request.files.map(({ source, target }) => ({ source, target }));
          return batchOutcome(await connection.request({ op: 'write_batch', files, mode: request.mode }));
        },
        close: () => connection.quit(),
      };
    },
    async calibrate(_scratchDir, samples): Promise<TransportOverhead> {
      const connection = new DriverConnection(argv);
      try {
        const times = await wallTimes(samples, () => connection.request({ op: 'noop' }));
        return { ...times, method: `noop round trip, median of ${samples}`, estimated: false };
      } finally {
        await connection.quit();
      }
    },
    oneShot(request): OneShot {
      return {
        argv: selfScriptArgv('core/subjects/driver-once.ts', [
          request.mode,
          request.source,
          request.target,
          '--',
          ...argv,
        ]),
      };
    },
    // Whether the driver has a batch form shows only when it is asked: one that answers write_batch
    // with "unknown op" has none (the outcome says `unsupported`, the one-shot exits 4).
    batch: {
      oneShot(request): OneShot {
        const pairs = request.files.flatMap((file) => [file.source, file.target]);
        return {
          argv: selfScriptArgv('core/subjects/driver-once.ts', ['--batch', request.mode, ...pairs, '--', ...argv]),
        };
      },
    },
  };
}

function batchOutcome(response: DriverResponse): WriteOutcome {
  if (response.ok) return { ok: true };
  if (answersUnknownOp(response))
    return { ok: false, unsupported: true, error: `the driver has no batch form (it answered: ${response.error})` };
  return { ok: false, error: response.error };
}
