import type { WritegateConfig } from '../config.js';
import { InputError } from '../errors.js';
import { SUBJECT_ROLES } from '../schema.js';
import { BATCH_PEER_WRITERS, BUILTIN_WRITERS } from './builtins/index.js';
import { commandSubject } from './command-subject.js';
import { driverSubject } from './driver-subject.js';
import { inProcessSubject } from './in-process-subject.js';
import type { WriterSubject } from './types.js';

/** Every writer subject the config declares: the built-ins it names (all by default), then its own writers. */
export function resolveSubjects(config: WritegateConfig, only?: readonly string[]): WriterSubject[] {
  const known = BUILTIN_WRITERS.map((writer) => writer.name);
  for (const name of config.builtins ?? []) {
    if (!known.includes(name))
      throw new InputError(`builtins: unknown built-in writer ${JSON.stringify(name)}; known: ${known.join(', ')}`);
  }
  const builtins = BUILTIN_WRITERS.filter((writer) => !config.builtins || config.builtins.includes(writer.name)).map(
    inProcessSubject,
  );
  const own = Object.entries(config.writers ?? {}).map(([name, spec]) => {
    if (known.includes(name))
      throw new InputError(`writer ${name}: the name is taken by a built-in writer; choose another`);
    return 'driver' in spec
      ? driverSubject({ name, command: spec.driver })
      : commandSubject({ name, template: spec.command, noop: spec.noop, batch: spec.batch });
  });
  const all = [...builtins, ...own];
  if (!only) return all;
  const names = all.map((subject) => subject.name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length)
    throw new InputError(`--subjects: unknown subject(s) ${unknown.join(', ')}; known: ${names.join(', ')}`);
  // bench reads every figure as a ratio to the floor and to the reference, so they stay in.
  return all.filter(
    (subject) =>
      only.includes(subject.name) || subject.name === SUBJECT_ROLES.floor || subject.name === SUBJECT_ROLES.reference,
  );
}

/**
 * The built-in batch peers (core/subjects/builtins): yardsticks a batch scenario runs beside the run's
 * batch-capable subjects, as the floor and the reference stay beside every single-write subject.
 */
export function batchPeerSubjects(): WriterSubject[] {
  return BATCH_PEER_WRITERS.map(inProcessSubject);
}
