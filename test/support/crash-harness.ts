/**
 * The crash suite as its end-to-end tests drive it: a real run on real writers (real processes,
 * real strace) into rows, and the real analyzer's verdict on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze, type AnalyzeOutcome } from '../../analyze/analyze.js';
import { rowsToCsv } from '../../core/csv.js';
import { SilentProgress } from '../../core/progress.js';
import type { ResultRow } from '../../core/schema.js';
import { RowSink } from '../../core/sink.js';
import { packageRoot } from '../../core/self-script.js';
import { builtinWriter } from '../../core/subjects/builtins/index.js';
import { commandSubject } from '../../core/subjects/command-subject.js';
import { inProcessSubject } from '../../core/subjects/in-process-subject.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { parseOptions } from '../../core/suite-options.js';
import { Workspace } from '../../core/workspace.js';
import { TrialPlace } from '../../core/trial-place.js';
import { mountFresh } from '../../core/fs/mount.js';
import type { FsName } from '../../core/fs/kinds.js';
import { crashOptionsSchema, crashSuite } from '../../crash/index.js';

export const CRASH_FIXTURES = path.join(packageRoot, 'test', 'fixtures', 'crash');

/** The system Python: a version manager's shim on PATH adds ~180 ms to every start. */
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** A fixture writer in test/fixtures/crash, run as `python3 FILE {source} {target}` (or the file itself). */
export function fixture(name: string, script: string): WriterSubject {
  const file = path.join(CRASH_FIXTURES, script);
  return commandSubject({ name, template: `${script.endsWith('.py') ? `${PYTHON} ` : ''}'${file}' {source} {target}` });
}

export function builtin(name: string): WriterSubject {
  return inProcessSubject(builtinWriter(name) as NonNullable<ReturnType<typeof builtinWriter>>);
}

/**
 * One crash run (profile quick, seed 7) of these subjects and sizes, its rows and progress notes; on a fresh `fs` when
 * given (root).
 */
export async function runCrash(
  subjects: WriterSubject[],
  sizes: number[],
  options: Record<string, unknown>,
  fs?: FsName,
): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const workspace = Workspace.create('wg-crash-test-');
  const progress = new SilentProgress();
  const mounted = fs ? mountFresh(workspace, fs) : undefined;
  const sink = mounted ? new RowSink().onFileSystem(mounted.name) : new RowSink();
  const trials = mounted ? TrialPlace.on(workspace, mounted) : TrialPlace.workspace(workspace);
  try {
    const config = fs ? { fs: [fs] } : {};
    const plan = crashSuite.plan(
      { profile: 'quick', config, subjects, sizes, fileSystems: fs ? [fs] : [] },
      parseOptions(crashOptionsSchema, options),
    );
    await crashSuite.run(
      {
        workspace,
        trials,
        keep: (file: string) => file,
        sink,
        profile: 'quick',
        config,
        subjects,
        sizes,
        seed: 7,
        progress,
      },
      plan,
    );
    return { rows: [...sink.rows], notes: progress.notes };
  } finally {
    mounted?.release();
    await workspace.dispose();
  }
}

/** The real analyzer on these rows (RESULTS.md lands in outDir/label), crash gates only. */
export async function analyzeCrash(
  rows: readonly ResultRow[],
  outDir: string,
  label: string,
  options: { requireJudged?: boolean } = {},
): Promise<AnalyzeOutcome> {
  const csv = path.join(outDir, `${label}.csv`);
  fs.writeFileSync(csv, rowsToCsv(rows));
  return analyze({
    inputs: [csv],
    outDir: path.join(outDir, label),
    githubStepSummary: null,
    suites: ['crash'],
    ...options,
  });
}

/** The crash gates each subject fails, through the real analyzer. */
export async function failingGates(
  rows: readonly ResultRow[],
  outDir: string,
  label: string,
): Promise<Map<string, string[]>> {
  const outcome = await analyzeCrash(rows, outDir, label);
  return gatesWith(outcome, 'fail');
}

/** Per subject, the ids of its gates with this status. */
export function gatesWith(
  outcome: AnalyzeOutcome,
  status: AnalyzeOutcome['gates'][number]['status'],
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const gate of outcome.gates) {
    if (gate.status !== status || !gate.subject) continue;
    const list = found.get(gate.subject) ?? [];
    if (!list.includes(gate.id)) list.push(gate.id);
    found.set(gate.subject, list.sort());
  }
  return found;
}

/** The value of the first row of this subject, scenario and metric. */
export function value(
  rows: readonly ResultRow[],
  subject: string,
  scenario: string,
  metric: string,
): number | null | undefined {
  return rows.find((row) => row.subject === subject && row.scenario === scenario && row.metric === metric)?.value;
}
