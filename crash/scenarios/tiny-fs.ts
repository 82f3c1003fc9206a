import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../../core/names.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { CrashRun } from '../context.js';
import { runOneShot } from '../one-shot.js';
import { TrialDir } from '../sandbox.js';
import { parseTrace } from '../../core/trace/strace.js';
import { buildWritePath, type WritePath } from '../strace/write-path.js';
import { TINY_FS_KIB, type TinyFs } from '../tiny-fs.js';
import { judgeError } from './observe.js';

/** Larger than the whole filesystem, so some write must come up short or fail with ENOSPC. */
export const TINY_FS_PAYLOAD = 1024 * 1024;
const TINY_FS_OLD = 4096;

/** What a trace shows a writer did when the kernel accepted fewer bytes than asked. */
export function shortWriteBehaviour(model: WritePath): { reached: boolean; text: string } {
  for (const [i, pc] of model.writes.entries()) {
    if (pc.call.errno === 'ENOSPC') {
      return { reached: true, text: 'no short write seen: the first write that did not fit failed with ENOSPC' };
    }
    const asked = Number(pc.call.args[2]);
    const got = pc.call.retval;
    if (pc.call.name !== 'write' && pc.call.name !== 'pwrite64') continue;
    if (got === undefined || !Number.isFinite(asked) || got < 0 || got >= asked) continue;
    // Any thread: a pool-based runtime may retry from another thread.
    const next = model.writes[i + 1];
    return next
      ? {
          reached: true,
          text:
            `a short write (${got} of ${asked} bytes) was followed by a write of the ` +
            `rest (${next.call.errno ? `it failed with ${next.call.errno}` : `${next.call.retval} bytes`})`,
        }
      : { reached: true, text: `after a short write (${got} of ${asked} bytes) nothing more was written to the file` };
  }
  return { reached: false, text: 'the trace shows no short write and no ENOSPC on the file' };
}

/**
 * Real I/O errors: a 1 MiB write into a 256 KiB tmpfs (or a fresh --fs file system with 256 KiB free). The writer must
 * fail, keep the
 * old target, and leave no temp file; under strace the trace also shows whether it retried after a
 * short write. Trials run one at a time: they share the filesystem.
 */
export async function tinyFs(
  run: CrashRun,
  subject: WriterSubject,
  place: Extract<TinyFs, { dir: string }>,
): Promise<void> {
  const old = run.contents.get(TINY_FS_OLD, 'old');
  const fresh = run.contents.get(TINY_FS_PAYLOAD, 'new');
  const base = {
    subject: subject.name,
    scenario: 'tiny_fs' as const,
    size: TINY_FS_PAYLOAD,
    engine: place.fsName,
    step: `write 1 MiB into ${TINY_FS_KIB} KiB`,
  };
  for (let t = 1; t <= run.plan.tinyFsTrials; t++) {
    const trial = TrialDir.create(path.join(place.dir, `${safeFileName(subject.name)}-${t}`), old);
    const traceFile = run.straceMissing ? undefined : run.traceFile(subject, 'tiny_fs');
    const shot = await runOneShot({
      subject,
      source: fresh.source,
      target: trial.target,
      tmpDir: trial.tmp,
      ...(traceFile ? { strace: run.traced(traceFile, ['-f']) } : {}),
    });
    if (traceFile) fs.rmSync(traceFile, { force: true });
    let fault = `real ENOSPC on ${place.label} (unverified: no strace)`;
    if (shot.trace !== undefined) {
      const behaviour = shortWriteBehaviour(
        buildWritePath(parseTrace(shot.trace), { target: trial.target, tmpDir: trial.tmp }),
      );
      if (!behaviour.reached && shot.reported === 'success') {
        run.trials.add({
          ...base,
          fault,
          notReached: `the payload never hit the full filesystem (${behaviour.text}; ${shot.ending})`,
          held: '',
          reported: '',
          problems: [],
        });
        trial.remove();
        continue;
      }
      fault = `real ENOSPC on ${place.label}; ${behaviour.text}`;
      if (behaviour.reached) {
        const writerSaid = shot.reported === 'success' ? 'SUCCESS (exit 0)' : shot.ending;
        run.factsFor(subject).shortWrite = `${behaviour.text}; then the writer reported ${writerSaid}`;
      }
    }
    run.trials.add({
      ...base,
      fault,
      ...judgeError(run, subject, trial, old, fresh, shot.reported, shot.ending, { sync: false, onTargetData: false }),
    });
    trial.remove();
  }
  run.ctx.progress.tick();
}
