import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../core/process.js';
import { SilentProgress } from '../core/progress.js';
import { METRICS, type RowInput } from '../core/schema.js';
import { builtinWriter } from '../core/subjects/builtins/index.js';
import { inProcessSubject } from '../core/subjects/in-process-subject.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { straceAvailable } from '../core/tools.js';
import { seccompFilterWorks } from '../core/trace/seccomp.js';
import type { WriteMode } from '../core/writer/types.js';
import { Workspace } from '../core/workspace.js';
import { PayloadStore } from './payloads.js';
import { runAccounting, type AccountingJob } from './runner.js';
import { accountTraceDirs, straceArgv, type DirsAccounting } from './strace-log.js';

const KIB = 1024;
const subject = (name: string): WriterSubject =>
  inProcessSubject(builtinWriter(name) as NonNullable<ReturnType<typeof builtinWriter>>);

// Real strace on real one-shot processes; CI installs strace (.ci), so this runs there.
describe.skipIf(!straceAvailable())('strace accounting of one-shot writes', () => {
  let workspace: Workspace;
  let rows: RowInput[];
  const figure = (name: string, mode: WriteMode, metric: string): number | null | undefined =>
    rows.find((row) => row.subject === name && row.mode === mode && row.metric === metric)?.value;

  beforeAll(async () => {
    workspace = Workspace.create('writegate-bench-test-');
    const payloads = new PayloadStore(workspace.dir('payloads'), 7);
    const jobs: AccountingJob[] = [];
    for (const name of ['reference', 'native-unsafe']) {
      for (const mode of ['durable', 'fast', 'unchanged'] as const)
        jobs.push({ subject: subject(name), mode, size: KIB, payloads: payloads.forSize(KIB) });
    }
    rows = await runAccounting(jobs, { dir: workspace.dir('trace'), tracedWrites: 1, progress: new SilentProgress() });
  });
  afterAll(async () => workspace.dispose());

  it('reference durable: fdatasync of the temp + fsync of the dir, one rename, the payload once', () => {
    expect(figure('reference', 'durable', METRICS.fsyncCount)).toBe(2);
    expect(figure('reference', 'durable', METRICS.renameCount)).toBe(1);
    expect(figure('reference', 'durable', METRICS.bytesWritten)).toBe(KIB);
    expect(figure('reference', 'durable', METRICS.writeAmplification)).toBe(1);
  });

  it('reference fast: the rename without any sync', () => {
    expect(figure('reference', 'fast', METRICS.fsyncCount)).toBe(0);
    expect(figure('reference', 'fast', METRICS.renameCount)).toBe(1);
  });

  it('reference unchanged is a true skip: nothing written, synced or renamed', () => {
    expect(figure('reference', 'unchanged', METRICS.bytesWritten)).toBe(0);
    expect(figure('reference', 'unchanged', METRICS.renameCount)).toBe(0);
    expect(figure('reference', 'unchanged', METRICS.fsyncCount)).toBe(0);
    expect(figure('reference', 'unchanged', METRICS.writeAmplification)).toBe(0);
  });

  it('native-unsafe writes in place: no rename, one file sync when durable, and rewrites identical content', () => {
    expect(figure('native-unsafe', 'durable', METRICS.renameCount)).toBe(0);
    expect(figure('native-unsafe', 'durable', METRICS.fsyncCount)).toBe(1);
    expect(figure('native-unsafe', 'fast', METRICS.fsyncCount)).toBe(0);
    expect(figure('native-unsafe', 'unchanged', METRICS.bytesWritten)).toBe(KIB);
  });

  it('says how every figure was obtained, and leaves no trace files behind', () => {
    const accounting = rows.filter((row) => row.metric === METRICS.fsyncCount);
    expect(accounting).toHaveLength(6);
    for (const row of accounting) expect(row.detail).toMatch(/^strace -f -y, median of 1 one-shot/);
    expect(fs.readdirSync(workspace.path('trace')).filter((name) => name.endsWith('.strace'))).toEqual([]);
  });
});

// A batch one-shot (subject.batch.oneShot) under the same strace as every traced write: the reference's
// batch syncs each file and each unique parent once; the per-file peer syncs a parent after every file.
describe.skipIf(!straceAvailable())('strace accounting of batch one-shots', () => {
  const FILES = 24;
  const DIRS = 4;
  let workspace: Workspace;
  let counts: Map<string, DirsAccounting>;
  let landed: Map<string, boolean>;

  beforeAll(async () => {
    workspace = Workspace.create('writegate-batch-test-');
    const seccomp = await seccompFilterWorks();
    counts = new Map();
    landed = new Map();
    for (const name of ['reference', 'reference-per-file']) {
      const dirs = Array.from({ length: DIRS }, (_, d) => workspace.dir(name, `d${d}`));
      const files = Array.from({ length: FILES }, (_, i) => {
        const source = workspace.path(name, `source-${i}`);
        fs.writeFileSync(source, `new content of file ${i}\n`);
        const target = path.join(dirs[i % DIRS] as string, `file-${i}.txt`);
        fs.writeFileSync(target, `old content of file ${i}\n`);
        return { source, target };
      });
      const oneShot = subject(name).batch?.oneShot({ files, mode: 'durable' });
      if (!oneShot) throw new Error(`${name} has no batch form`);
      const traceFile = workspace.path(`${name}.strace`);
      const result = await runProcess([...straceArgv(traceFile, seccomp), ...oneShot.argv], { timeoutMs: 120_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      counts.set(name, accountTraceDirs(fs.readFileSync(traceFile, 'utf8'), dirs, process.cwd()));
      landed.set(
        name,
        files.every((file, i) => fs.readFileSync(file.target, 'utf8') === `new content of file ${i}\n`),
      );
    }
  });
  afterAll(async () => workspace.dispose());

  it('the reference batch fsyncs exactly files + unique parent directories, renames each file once', () => {
    expect(landed.get('reference')).toBe(true);
    expect(counts.get('reference')).toMatchObject({
      fsyncCount: FILES + DIRS,
      dirFsyncCount: DIRS,
      renameCount: FILES,
    });
  });

  it('the per-file peer fsyncs 2 × files: each file and its parent after every file', () => {
    expect(landed.get('reference-per-file')).toBe(true);
    expect(counts.get('reference-per-file')).toMatchObject({
      fsyncCount: 2 * FILES,
      dirFsyncCount: FILES,
      renameCount: FILES,
    });
  });
});
