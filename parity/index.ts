import os from 'node:os';
import { mapPool } from '../core/pool.js';
import type { Suite, SuiteContext } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import type { z } from 'zod';
import { CASES, type ParityCase } from './cases.js';
import { ChildProcesses } from './children.js';
import { FixtureStore } from './fixture-store.js';
import { fixtureUsesHttp, type FixtureName } from './fixtures.js';
import { createSandbox, gitEnvironment, CASE_DATE } from './git-env.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { caseRows, coverageRows } from './rows.js';
import { runCase, type CaseOutcome, type CaseRunner } from './runner.js';
import { selectCases } from './select.js';
import { checkWrappers, installSandboxBin, resolveNativeGit, resolveWrappers } from './wrappers.js';

/** A wrapper or git that runs longer than this on one case is killed and scored as a mismatch. */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * `--cases`: ids, commands or globs, comma-separated; `--known-differences` is read by analyze;
 * `--readiness` is handled by the CLI after the run (analyze's parity section words the line).
 */
export const parityOptionsSchema = suiteOptionsSchema({
  cases: optionParsers.text(),
  knownDifferences: optionParsers.text(),
  readiness: optionParsers.switch(),
});
export type ParityOptions = z.infer<typeof parityOptionsSchema>;

/**
 * Semantic parity: native git vs each wrapper over a matrix of mutating git commands. Rows
 * only (see rows.ts); the gates and the report live in analyze's parity section.
 */
export const paritySuite: Suite<ParityOptions> = {
  name: 'parity',
  summary: 'native git vs wrappers over a matrix of mutating git commands: exit code, repository state, key diagnostics',
  options: [
    { flags: '--cases <ids>', description: 'only these parity cases: ids, commands or globs, comma-separated (e.g. push,stash.pop*); default: quick subset or all (full)' },
    { flags: '--known-differences <file>', description: 'known-differences file (JSON) that --readiness and analyze apply; see parity/README.md' },
    {
      flags: '--readiness',
      description: 'run the full matrix, then print one go/no-go line: is it safe to let the wrapper(s) rewrite mutating git commands?',
      defaultValue: false,
    },
  ],
  optionsSchema: parityOptionsSchema,
  preflight(ctx, options) {
    selectCases(CASES, options.readiness ? 'full' : ctx.profile, options.cases);
    const searchPath = process.env.PATH ?? '';
    resolveNativeGit(ctx.config.git, searchPath);
    checkWrappers(ctx.config.wrappers, searchPath);
    return [];
  },
  async run(ctx: SuiteContext, options: ParityOptions) {
    await runParity(ctx, options);
  },
};

export async function runParity(ctx: SuiteContext, options: ParityOptions): Promise<CaseOutcome[]> {
  // A readiness decision needs the whole matrix, whatever the profile; --cases still narrows it (and
  // the readiness line then says the coverage is partial).
  const profile = options.readiness ? 'full' : ctx.profile;
  const cases = selectCases(CASES, profile, options.cases);
  const configuredGit = resolveNativeGit(ctx.config.git, process.env.PATH ?? '');
  const sandbox = createSandbox(ctx.workspace.dir('parity'));
  const nativeGit = installSandboxBin(sandbox, configuredGit);
  const wrappers = resolveWrappers(ctx.config.wrappers, sandbox, gitEnvironment(sandbox, CASE_DATE).PATH ?? '');

  // An interrupted run (SIGINT/SIGTERM) disposes the workspace, whose cleanups stop every process
  // parity started and the loopback server before the directory goes.
  const children = new ChildProcesses();
  ctx.workspace.onCleanup(() => children.stopAll());
  let server: LoopbackServer | undefined;
  if (cases.some((c) => fixtureUsesHttp(c.fixture))) {
    server = await startLoopbackServer({ projectRoot: `${sandbox.root}/fx`, git: nativeGit, env: gitEnvironment(sandbox, CASE_DATE) });
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
      `parity: ${cases.length} case(s) × native + ${wrappers.map((w) => w.name).join(', ')}; git ${configuredGit}` + (server ? `; loopback server on ${server.host}` : ''),
    );
    ctx.progress.start('parity', cases.length);
    const outcomes = await runGrouped(cases, runner, () => ctx.progress.tick());
    ctx.sink.addAll(coverageRows(cases.length, profile, options.cases));
    for (const outcome of outcomes) {
      if (outcome.expectationProblems.length) ctx.progress.note(`parity: ${outcome.parityCase.id}: ${outcome.normalise(outcome.expectationProblems.join('; '))}`);
      ctx.sink.addAll(caseRows(outcome));
    }
    return outcomes;
  } finally {
    await server?.close();
  }
}

/**
 * Cases of one fixture share its directory (every side runs at the same path), so they run one after
 * the other; different fixtures run in parallel. A case is a chain of short git processes and file
 * copies, mostly waiting on the kernel, so two chains per core keep the cores busy without piling up.
 */
async function runGrouped(cases: readonly ParityCase[], runner: CaseRunner, onDone: () => void): Promise<CaseOutcome[]> {
  const groups = new Map<FixtureName, number[]>();
  cases.forEach((c, index) => groups.set(c.fixture, [...(groups.get(c.fixture) ?? []), index]));
  const queue = [...groups.values()].sort((a, b) => b.length - a.length);
  const outcomes: CaseOutcome[] = new Array(cases.length);
  await mapPool(queue, Math.min(4, os.availableParallelism() * 2), async (group) => {
    for (const index of group) {
      outcomes[index] = await runCase(runner, cases[index] as ParityCase);
      onDone();
    }
  });
  return outcomes;
}
