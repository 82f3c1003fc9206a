import path from 'node:path';
import { mapPool } from '../core/pool.js';
import type { RunResult } from '../core/process.js';
import type { SuiteContext } from '../core/suite.js';
import type { ParityCase } from './cases.js';
import { checkExpectation, judgeWrapper, keySignals } from './checks.js';
import { ChildProcesses, type ProcessRunner } from './children.js';
import { FixtureStore } from './fixture-store.js';
import { fixtureUsesHttp, resolveFixture } from './fixtures.js';
import { CASE_DATE, createSandbox, gitEnvironment, type GitSandbox } from './git-env.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { makeNormaliser, type Normaliser } from './normalise.js';

export type { CaseOutcome, SideResult, WrapperComparison } from './types.js';
import { caseChains, fixtureGroups, parityWork } from './plan.js';
import type { CaseOutcome, ParityPlan, SideResult, WrapperComparison } from './types.js';
import { caseRows, coverageRows, wrapperRows } from './rows.js';
import { takeSnapshot, type GitRunner } from './snapshot.js';
import { installSandboxBin, resolveWrappers, type Wrapper } from './wrappers.js';

/** A wrapper or git that runs longer than this on one case is killed and scored as a mismatch. */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * The parity suite: a sandbox, native git and the wrappers put first on its PATH, the loopback server
 * when a planned case needs it, then every planned case; rows go to ctx.sink once all have run.
 */
export async function runParity(ctx: SuiteContext, plan: ParityPlan): Promise<CaseOutcome[]> {
  const { profile, cases } = plan;
  const configuredGit = plan.nativeGit;
  const sandbox = createSandbox(ctx.workspace.dir('parity'));
  const nativeGit = installSandboxBin(sandbox, configuredGit);
  const wrappers = resolveWrappers(plan.wrappers, sandbox, gitEnvironment(sandbox, CASE_DATE).PATH ?? '');

  // An interrupted run (SIGINT/SIGTERM) disposes the workspace, whose cleanups stop every process
  // parity started and the loopback server before the directory goes.
  const children = new ChildProcesses();
  ctx.workspace.onCleanup(() => children.stopAll());
  let server: LoopbackServer | undefined;
  if (cases.some((c) => fixtureUsesHttp(c.fixture))) {
    server = await startLoopbackServer({
      projectRoot: `${sandbox.root}/fx`,
      git: nativeGit,
      env: gitEnvironment(sandbox, CASE_DATE),
    });
    const started = server;
    ctx.workspace.onCleanup(() => started.close());
  }

  try {
    const runner: CaseRunner = {
      sandbox,
      store: new FixtureStore(sandbox, nativeGit, server?.host, children.run),
      nativeGit,
      wrappers,
      port: server?.port,
      timeoutMs: COMMAND_TIMEOUT_MS,
      run: children.run,
    };
    ctx.progress.note(
      `parity: ${cases.length} case(s) × native + ${wrappers.map((w) => w.name).join(', ')}; git ${configuredGit}` +
        (server ? `; loopback server on ${server.host}` : ''),
    );
    ctx.progress.start('parity', cases.length, parityWork(cases.length, wrappers.length - 1));
    const outcomes = await runGrouped(cases, runner, () => ctx.progress.tick());
    ctx.sink.addAll(coverageRows(cases.length, profile, plan.casesFilter));
    ctx.sink.addAll(wrapperRows(wrappers));
    for (const outcome of outcomes) {
      if (outcome.expectationProblems.length)
        ctx.progress.note(
          `parity: ${outcome.parityCase.id}: ${outcome.normalise(outcome.expectationProblems.join('; '))}`,
        );
      ctx.sink.addAll(caseRows(outcome));
    }
    return outcomes;
  } finally {
    await server?.close();
  }
}

/** Each fixture's cases one after the other, different fixtures in parallel (caseChains() at once). */
async function runGrouped(
  cases: readonly ParityCase[],
  runner: CaseRunner,
  onDone: () => void,
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = new Array(cases.length);
  await mapPool(fixtureGroups(cases), caseChains(), async (group) => {
    for (const index of group) {
      outcomes[index] = await runCase(runner, cases[index] as ParityCase);
      onDone();
    }
  });
  return outcomes;
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
 * snapshot; then judges each wrapper against native (checks.ts).
 */
export async function runCase(runner: CaseRunner, parityCase: ParityCase): Promise<CaseOutcome> {
  const root = runner.store.root(parityCase.fixture);
  const normalise = makeNormaliser({ fixtureRoot: root, sandboxRoot: runner.sandbox.root, port: runner.port });
  const native = await runSide(runner, parityCase, [runner.nativeGit, ...parityCase.args], normalise);
  const nativeSignals = keySignals(normalise(`${native.stdout}\n${native.stderr}`), parityCase.args[0]);
  const comparisons: WrapperComparison[] = [];
  for (const wrapper of runner.wrappers) {
    const side = await runSide(runner, parityCase, [...wrapper.argv, ...parityCase.args], normalise);
    comparisons.push({ wrapper, side, ...judgeWrapper(native, side, nativeSignals, normalise) });
  }
  return {
    parityCase,
    native,
    nativeSignals,
    expectationProblems: checkExpectation(parityCase, native, nativeSignals),
    comparisons,
    normalise,
  };
}

async function runSide(
  runner: CaseRunner,
  parityCase: ParityCase,
  argv: readonly string[],
  normalise: Normaliser,
): Promise<SideResult> {
  const root = await runner.store.materialise(parityCase.fixture);
  const env = gitEnvironment(runner.sandbox, CASE_DATE);
  const result = await runner.run(argv, {
    cwd: path.join(root, 'work'),
    env,
    isolatedEnv: true,
    timeoutMs: runner.timeoutMs,
  });
  const git: GitRunner = (args, cwd) =>
    runner
      .run([runner.nativeGit, ...args], {
        cwd,
        env: { ...env, GIT_OPTIONAL_LOCKS: '0' },
        isolatedEnv: true,
        timeoutMs: runner.timeoutMs,
      })
      .then((r) => ({
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
      }));
  const snapshot = await takeSnapshot(
    { root, repo: 'work', remotes: resolveFixture(parityCase.fixture).remotes },
    git,
    normalise,
  );
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
