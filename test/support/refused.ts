/**
 * The bad-input contract, checked in-process: exit 2, one line on stderr that starts `writegate: `
 * and names the problem, no stack trace, and the test's directory (where --out lives, and any file
 * the test wrote first) byte for byte as it was.
 */
import { expect } from 'vitest';
import { main } from '../../cli/main.js';
import type { CliHarness } from './cli-harness.js';
import { snapshot } from './tree-snapshot.js';

export async function expectRefused(cli: CliHarness, args: readonly string[], mentions: RegExp): Promise<void> {
  cli.clear();
  const before = snapshot(cli.dir);
  const code = await main(args);
  const lines = cli.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^writegate: /);
  expect(lines[0]).toMatch(mentions);
  expect(cli.stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
  expect(snapshot(cli.dir)).toEqual(before);
}
