import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The end-to-end tests: those that run writegate's commands, git, strace, real writers or fresh file
 * systems, or that take more than about 5 s on two cores. `npm run test:unit` runs everything else
 * (under 2 minutes), `npm run test:e2e` these, `npm test` both. A new test file is a unit test unless
 * it is listed here.
 */
export const E2E = [
  'analyze/comparison/sequential.simulation.test.ts',
  'analyze/load.test.ts',
  'analyze/regression/compare-baseline.test.ts',
  'analyze/regression/validation.test.ts',
  'analyze/report/markdown.property.test.ts',
  'analyze/trend/trend.test.ts',
  'bench/accounting.test.ts',
  'bench/batch-runner.test.ts',
  'bench/checks.test.ts',
  'bench/driver.test.ts',
  'bench/scripts/hyperfine-parity.test.ts',
  'bench/writer-cmd.test.ts',
  'cli/analyze-command.test.ts',
  'cli/analyze-trend.test.ts',
  'cli/bench-net-latency.test.ts',
  'cli/commit-point-compare.test.ts',
  'cli/commit-point-gate.test.ts',
  'cli/compare/compare.test.ts',
  'cli/file-inputs.test.ts',
  'cli/fs-option.test.ts',
  'cli/interrupt.test.ts',
  'cli/json-output.test.ts',
  'cli/preflight.test.ts',
  'cli/suite-verdict.test.ts',
  'cli/validate-gate/slowed-probe.test.ts',
  'cli/validate-gate/validate-gate.test.ts',
  'core/fs/mount.test.ts',
  'core/lifecycle.test.ts',
  'crash/batch-fixtures.test.ts',
  'crash/box.test.ts',
  'crash/command/command.test.ts',
  'crash/crash-image.test.ts',
  'crash/fixtures.test.ts',
  'crash/mechanisms.test.ts',
  'crash/reflink.test.ts',
  'crash/tiny-fs.test.ts',
  'hook/cli.test.ts',
  'hook/fixture-hooks.test.ts',
  'hook/shim.test.ts',
  'parity/cli.test.ts',
  'parity/faulty-wrappers.test.ts',
  'parity/snapshot.test.ts',
  'scripts/release-check.test.ts',
  'test/action-install.test.ts',
  'test/action.test.ts',
  'test/package.test.ts',
];

/**
 * The longest end-to-end files, longest first (measured on two cores). They start first, so none is left running
 * alone at the end: vitest orders by its cache of past durations, which a fresh clone (CI) does not have, and
 * falls back to file size, which put the longest of all (a 56-line file) last.
 */
const LONGEST_FIRST = [
  'cli/commit-point-compare.test.ts',
  'hook/cli.test.ts',
  'cli/compare/compare.test.ts',
  'test/package.test.ts',
  'hook/fixture-hooks.test.ts',
  'cli/commit-point-gate.test.ts',
  'parity/faulty-wrappers.test.ts',
  'parity/cli.test.ts',
  'cli/interrupt.test.ts',
  'test/action.test.ts',
  'crash/crash-image.test.ts',
  'crash/mechanisms.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(path.relative(import.meta.dirname, file.moduleId));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    const sorted = await super.sort(files);
    return sorted
      .map((file, order) => ({ file, order, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}

const EXCLUDE = ['node_modules/**', 'dist/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real processes, strace and git; two cores do not like many forks at once.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      // Unit tests put back what process state they touch (the CLI harness's chdir and stream spies) and own no
      // signals, so one module graph per worker serves them all: the same tests in about a third of the time.
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...EXCLUDE, ...E2E], isolate: false },
      },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: EXCLUDE } },
    ],
  },
});
