/**
 * Builds a C fixture for a test, in the test's own temp directory. A fixture that cannot be built
 * fails the test with what to install: a test that skips itself would count as passing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export function buildCFixture(source: string, outDir: string, libraries: readonly string[] = []): string {
  const binary = path.join(outDir, path.basename(source, '.c'));
  const compiler = process.env.CC ?? 'cc';
  const result = spawnSync(compiler, ['-O2', '-Wall', '-o', binary, source, ...libraries.map((lib) => `-l${lib}`)], {
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : result.stderr.trim().split('\n').slice(0, 3).join(' / ');
    const needs = libraries.length
      ? ` and the development files of ${libraries.map((lib) => `lib${lib}`).join(', ')} (Debian: ` +
        `apt-get install gcc ${libraries.map((lib) => `lib${lib}-dev`).join(' ')})`
      : ' (Debian: apt-get install gcc)';
    throw new Error(
      `cannot build ${path.basename(source)} with ${compiler}: ${why}; this test needs a C compiler${needs}`,
    );
  }
  return binary;
}
