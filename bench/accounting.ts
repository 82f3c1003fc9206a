import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import { mapPool } from '../core/pool.js';
import { runProcess } from '../core/process.js';
import type { ProgressSink } from '../core/progress.js';
import type { RowInput } from '../core/schema.js';
import { percentile } from '../core/stats.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import { sizeLabel } from './cases.js';
import type { SizePayloads } from './payloads.js';
import { accountingRows, writeErrorRow, type Accounting, type ScenarioKey } from './rows.js';
import { accountTrace, TRACED_CALLS } from './strace-log.js';
import { WriteCycle } from './write-cycle.js';

const TRACE_TIMEOUT_MS = 120_000;
/** Traced processes run two at a time: counts do not depend on timing, and this machine has two cores. */
const PARALLEL_TRACES = 2;

export interface AccountingJob {
  subject: WriterSubject;
  mode: WriteMode;
  size: number;
  payloads: SizePayloads;
}

export interface AccountingSettings {
  /** Where per-scenario target directories and trace files go (inside the run's workspace). */
  dir: string;
  tracedWrites: number;
  progress: ProgressSink;
}

/** Flags every traced write gets. `?name` lets strace skip a call this architecture lacks (rename on arm64). */
export function straceArgv(traceFile: string, seccomp: boolean): string[] {
  return [
    'strace',
    ...(seccomp ? ['--seccomp-bpf'] : []),
    '-f',
    '-y',
    '-qq',
    '-e',
    'signal=none',
    '-e',
    `trace=${TRACED_CALLS.map((name) => `?${name}`).join(',')}`,
    '-o',
    traceFile,
    '--',
  ];
}

/** --seccomp-bpf stops only at the traced calls (much cheaper); older kernels or strace lack it. */
async function seccompWorks(): Promise<boolean> {
  const result = await runProcess([...straceArgv('/dev/null', true), process.execPath, '-e', ''], { timeoutMs: 30_000 });
  return result.exitCode === 0;
}

export function accountingDetail(tracedWrites: number): string {
  return (
    `strace -f -y, median of ${tracedWrites} one-shot write process(es) per scenario (subject.oneShot(), apart from the timed pass): ` +
    'fsync/fdatasync/sync_file_range on the target dir or files in it; rename/renameat/renameat2 into it; ' +
    'bytes returned by write/pwrite64/writev/pwritev/pwritev2/sendfile/copy_file_range/splice to files in it'
  );
}

/**
 * The one accounting method applied to every subject alike: run its one-shot writer under strace and
 * count what reached the target directory. Separate from the timing pass, so tracing never slows a
 * timed sample. Failures become a write_errors row and a note; the other scenarios go on.
 */
export async function runAccounting(jobs: readonly AccountingJob[], settings: AccountingSettings): Promise<RowInput[]> {
  if (jobs.length === 0 || settings.tracedWrites === 0) return [];
  fs.mkdirSync(settings.dir, { recursive: true });
  const seccomp = await seccompWorks();
  const detail = accountingDetail(settings.tracedWrites);
  let done = 0;
  settings.progress.start('bench accounting (strace)', jobs.length * settings.tracedWrites);
  const rows = await mapPool(jobs, PARALLEL_TRACES, async (job, index): Promise<RowInput[]> => {
    const key: ScenarioKey = { subject: job.subject.name, mode: job.mode, size_bytes: job.size };
    try {
      const counts = await traceScenario(job, index, settings, seccomp, () => settings.progress.tick(++done));
      return accountingRows(key, counts, detail);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      settings.progress.note(`bench: accounting ${job.subject.name} ${job.mode} ${sizeLabel(job.size)} failed: ${message}`);
      return [writeErrorRow(key, '', `strace accounting: ${message}`)];
    }
  });
  settings.progress.finish();
  return rows.flat();
}

async function traceScenario(job: AccountingJob, index: number, settings: AccountingSettings, seccomp: boolean, tick: () => void): Promise<Accounting> {
  // Its own directory, so nothing but this subject's write can land in it.
  const dir = path.join(settings.dir, `${index}-${safeFileName(job.subject.name)}-${job.mode}-${sizeLabel(job.size)}`);
  fs.mkdirSync(dir, { recursive: true });
  const cycle = new WriteCycle(path.join(dir, 'target.bin'), job.payloads, job.mode);
  cycle.reset();
  const perWrite: Accounting[] = [];
  for (let w = 0; w < settings.tracedWrites; w++) {
    const request = cycle.next();
    const oneShot = job.subject.oneShot({ target: request.target, source: request.source, mode: request.mode });
    const traceFile = path.join(settings.dir, `${index}.${w}.strace`);
    const result = await runProcess([...straceArgv(traceFile, seccomp), ...oneShot.argv], { env: oneShot.env, timeoutMs: TRACE_TIMEOUT_MS });
    if (result.exitCode !== 0) {
      const why = result.timedOut ? `timed out after ${TRACE_TIMEOUT_MS} ms` : result.spawnError ? `cannot start strace: ${result.spawnError}` : `exit ${result.exitCode ?? result.signal}`;
      throw new Error(`traced one-shot write ${why}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    }
    perWrite.push(accountTrace(fs.readFileSync(traceFile, 'utf8'), dir, process.cwd()));
    fs.rmSync(traceFile, { force: true });
    tick();
  }
  const { problem } = cycle.verdict();
  if (problem !== undefined) throw new Error(`traced one-shot writes did not land: ${problem}`);
  const median = (pick: (a: Accounting) => number): number => percentile(perWrite.map(pick), 50);
  return { fsyncCount: median((a) => a.fsyncCount), renameCount: median((a) => a.renameCount), bytesWritten: median((a) => a.bytesWritten) };
}
