import { InputError } from '../errors.js';
import { requireExecutable } from '../executable.js';
import { Spawner, type TimedRunResult } from '../spawner.js';
import { WRITE_MODES, type WriteMode } from '../writer/types.js';
import { measuredTimes } from './overhead.js';
import { failureText } from './stderr-excerpt.js';
import {
  checkBatchTemplate,
  fillBatchTemplate,
  fillTemplate,
  placeholdersIn,
  refuseUnknownPlaceholders,
  splitTemplate,
} from './template.js';
import type {
  BatchCapability,
  BatchRequest,
  OneShot,
  TimedWriteOutcome,
  TransportOverhead,
  WriteRequest,
  WriterSubject,
} from './types.js';

const WRITE_TIMEOUT_MS = 60_000;

function outcome(result: TimedRunResult): TimedWriteOutcome {
  const { elapsedMs } = result;
  if (result.spawnError) return { ok: false, error: `cannot start: ${result.spawnError}`, elapsedMs };
  if (result.exitCode === 0) return { ok: true, elapsedMs };
  const why = result.timedOut
    ? `timed out after ${WRITE_TIMEOUT_MS} ms`
    : result.signal
      ? `killed by ${result.signal}`
      : `exit ${result.exitCode}`;
  return { ok: false, error: failureText(why, result.stderrTail), elapsedMs };
}

export interface CommandSubjectSpec {
  name: string;
  template: string;
  /** A command that starts the same program and does nothing: the spawn cost to subtract. */
  noop?: string;
  /** The batch form: one process writes every file, `{pairs}` expanding to `source1 target1 source2 target2 …`. */
  batch?: string;
}

/**
 * The per-op command transport: one process per write, argv from a template with {source},
 * {target} and {mode}; exit 0 means success. A template without {mode} cannot choose its
 * durability, so it is run for durable and unchanged only. Each write is timed from just before the
 * spawn to the exit by a small spawner process (core/spawner.ts), and so is the noop that calibrates
 * the spawn cost, so the two figures subtract cleanly.
 */
export function commandSubject(spec: CommandSubjectSpec): WriterSubject {
  const where = `writer ${spec.name}`;
  const argv = splitTemplate(spec.template, where);
  refuseUnknownPlaceholders(argv, ['source', 'target', 'mode'], where);
  const used = placeholdersIn(argv);
  for (const required of ['source', 'target']) {
    if (!used.has(required)) throw new InputError(`${where}: template must contain {${required}}: ${spec.template}`);
  }
  const modes: readonly WriteMode[] = used.has('mode') ? WRITE_MODES : ['durable', 'unchanged'];
  requireExecutable(argv[0] as string, where);
  const noopArgv = spec.noop ? splitTemplate(spec.noop, `${where} noop`) : undefined;
  if (noopArgv) {
    refuseUnknownPlaceholders(noopArgv, [], `${where} noop`);
    requireExecutable(noopArgv[0] as string, `${where} noop`);
  }
  const argvFor = (request: Omit<WriteRequest, 'content'>): string[] =>
    fillTemplate(
      argv,
      { source: request.source, target: request.target, mode: request.mode === 'fast' ? 'fast' : 'durable' },
      where,
    );
  const batchArgvFor = batchTemplate(spec);
  const batch: BatchCapability | undefined = batchArgvFor && {
    oneShot: (request) => ({ argv: batchArgvFor(request) }),
  };

  return {
    name: spec.name,
    kind: 'command',
    description: `per-op command: ${spec.template}`,
    modes,
    async open() {
      const spawner = Spawner.start();
      const writeTimed = async (request: WriteRequest): Promise<TimedWriteOutcome> =>
        outcome(await spawner.run(argvFor(request), { timeoutMs: WRITE_TIMEOUT_MS }));
      const session = { write: writeTimed, writeTimed, close: () => spawner.close() };
      if (!batchArgvFor) return session;
      const writeBatch = async (request: BatchRequest) =>
        outcome(await spawner.run(batchArgvFor(request), { timeoutMs: WRITE_TIMEOUT_MS }));
      return { ...session, writeBatch };
    },
    async calibrate(_scratchDir, samples): Promise<TransportOverhead> {
      const spawner = Spawner.start();
      try {
        const spawnTime = async (command: readonly string[]) =>
          (await spawner.run(command, { timeoutMs: WRITE_TIMEOUT_MS })).elapsedMs;
        if (noopArgv) {
          const times = await measuredTimes(samples, () => spawnTime(noopArgv));
          return { ...times, method: `noop template, median of ${samples}`, estimated: false };
        }
        const startup = [argv[0] as string, '--version'];
        const times = await measuredTimes(samples, () => spawnTime(startup));
        return {
          ...times,
          method:
            `estimate: \`${startup.join(' ')}\` startup, median of ${samples} (give ` +
            `a noop template for a measured figure)`,
          estimated: true,
        };
      } finally {
        await spawner.close();
      }
    },
    oneShot(request): OneShot {
      return { argv: argvFor(request) };
    },
    ...(batch ? { batch } : {}),
  };
}

type BatchArgv = (request: {
  files: readonly { source: string; target: string }[];
  mode: BatchRequest['mode'];
}) => string[];

/**
 * The argv of the batch form, checked up front (a bad template is bad input before anything runs).
 * Without {mode} the command cannot choose its durability and is sent as durable, like the single template.
 */
function batchTemplate(spec: CommandSubjectSpec): BatchArgv | undefined {
  if (spec.batch === undefined) return undefined;
  const where = `writer ${spec.name} batch`;
  const argv = splitTemplate(spec.batch, where);
  checkBatchTemplate(argv, where, spec.batch);
  requireExecutable(argv[0] as string, where);
  return (request) => fillBatchTemplate(argv, request.files, request.mode === 'fast' ? 'fast' : 'durable', where);
}
