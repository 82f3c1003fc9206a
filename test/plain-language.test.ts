/**
 * Users read writegate's messages, help, RESULTS.md and READMEs; the design notes it was built from are
 * ours, not theirs. No production source or user-facing doc may cite them ("seed 000", "PR-W1",
 * "issue scenario 2") or carry untranslated Russian: say the rule and why, in plain English.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';

const LORE = /seed 0\d|issue scenario|PR-W\d|\p{Script=Cyrillic}/iu;

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: packageRoot, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !file.startsWith('test/') && !file.endsWith('.test.ts') && /\.(ts|md|json|ya?ml|sh)$/.test(file) && file !== 'package-lock.json');
}

describe('plain language', () => {
  it('no production source or user-facing doc cites the design notes', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((file) =>
      fs
        .readFileSync(path.join(packageRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (LORE.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 100)}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
