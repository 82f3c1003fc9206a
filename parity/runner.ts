import path from 'node:path';
import type { RunResult } from '../core/process.js';
import type { ProcessRunner } from './children.js';
import { expectedExits, expectedSignals, type ParityCase } from './cases.js';
import type { FixtureStore } from './fixture-store.js';
import { resolveFixture } from './fixtures.js';
import { CASE_DATE, gitEnvironment, type GitSandbox } from './git-env.js';
import { makeNormaliser, type Normaliser } from './normalise.js';
import { keySignals, missingSignals } from './checks.js';
import { diffSnapshots, takeSnapshot, type GitRunner, type RepoSnapshot, type SnapshotDifference } from './snapshot.js';
import type { Wrapper } from './wrappers.js';

/** What one run of a case's command left behind, on one side. */
export interface SideResult {
  argv: readonly string[];
  /** null when the process did not exit normally (signal, timeout, could not start). */
  exitCode: number | null;
  /** Why there is no exit code, in a few words. */
  abnormal?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  snapshot: RepoSnapshot;
}

export interface WrapperComparison {
  wrapper: Wrapper;
  side: SideResult;
  exitCodeMatch: boolean;
  differences: SnapshotDifference[];
  missingSignals: string[];
}

export interface CaseOutcome {
  parityCase: ParityCase;
  native: SideResult;
  /** Key signal lines of native output (normalised). */
  nativeSignals: string[];
  /** Where native git did not do what the case says it does (empty: as expected). */
  expectationProblems: string[];
  comparisons: WrapperComparison[];
  normalise: Normaliser;
}

export interface CaseRunner {
  sandbox: GitSandbox;
  store: FixtureStore;
  nativeGit: string;
  wrappers: readonly Wrapper[];
  port?: number;
  timeoutMs: number;
  run: ProcessRunner;
}

/**
 * Runs one case: a fresh copy of the fixture for native git, snapshot; a fresh copy for each wrapper,
 * snapshot; then compares exit codes, snapshots and key signals.
 */
export async function runCase(runner: CaseRunner, parityCase: ParityCase): Promise<CaseOutcome> {
  const root = runner.store.root(parityCase.fixture);
  const normalise = makeNormaliser({ fixtureRoot: root, sandboxRoot: runner.sandbox.root, port: runner.port });
  const native = await runSide(runner, parityCase, [runner.nativeGit, ...parityCase.args], normalise);
  const nativeSignals = keySignals(normalise(`${native.stdout}\n${native.stderr}`), parityCase.args[0]);
  const comparisons: WrapperComparison[] = [];
  for (const wrapper of runner.wrappers) {
    const side = await runSide(runner, parityCase, [...wrapper.argv, ...parityCase.args], normalise);
    comparisons.push({
      wrapper,
      side,
      exitCodeMatch: side.exitCode !== null && side.exitCode === native.exitCode,
      differences: diffSnapshots(native.snapshot, side.snapshot),
      missingSignals: missingSignals(nativeSignals, normalise(`${side.stdout}\n${side.stderr}`)),
    });
  }
  return { parityCase, native, nativeSignals, expectationProblems: checkExpectation(parityCase, native, nativeSignals), comparisons, normalise };
}

async function runSide(runner: CaseRunner, parityCase: ParityCase, argv: readonly string[], normalise: Normaliser): Promise<SideResult> {
  const root = await runner.store.materialise(parityCase.fixture);
  const env = gitEnvironment(runner.sandbox, CASE_DATE);
  const result = await runner.run(argv, { cwd: path.join(root, 'work'), env, isolatedEnv: true, timeoutMs: runner.timeoutMs });
  const git: GitRunner = (args, cwd) =>
    runner.run([runner.nativeGit, ...args], { cwd, env: { ...env, GIT_OPTIONAL_LOCKS: '0' }, isolatedEnv: true, timeoutMs: runner.timeoutMs }).then((r) => ({
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
    }));
  const snapshot = await takeSnapshot({ root, repo: 'work', remotes: resolveFixture(parityCase.fixture).remotes }, git, normalise);
  return {
    argv,
    exitCode: result.exitCode ?? null,
    ...(result.exitCode === undefined ? { abnormal: abnormality(result, runner.timeoutMs) } : {}),
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
    snapshot,
  };
}

function abnormality(result: RunResult, timeoutMs: number): string {
  if (result.spawnError) return `could not start: ${result.spawnError}`;
  if (result.timedOut) return `killed after the ${Math.round(timeoutMs / 1000)} s timeout`;
  return `killed by ${result.signal ?? 'a signal'}`;
}

function checkExpectation(parityCase: ParityCase, native: SideResult, signals: readonly string[]): string[] {
  const problems: string[] = [];
  const exits = expectedExits(parityCase);
  if (native.exitCode === null || !exits.includes(native.exitCode)) problems.push(`native git exited ${native.exitCode ?? native.abnormal}, the case expects ${exits.join(' or ')}`);
  const wanted = expectedSignals(parityCase);
  const lines = signals.map((line) => line.toLowerCase());
  if (wanted.length && !lines.some((line) => wanted.some((text) => line.includes(text.toLowerCase())))) {
    problems.push(`native git did not print the expected key line ${wanted.map((text) => JSON.stringify(text)).join(' or ')}`);
  }
  return problems;
}
