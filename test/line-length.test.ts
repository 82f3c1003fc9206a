/**
 * Lines of code stay within 120 characters, the formatter's width (biome.jsonc): the formatter wraps
 * code, but not a long string, comment or template, so this holds the rest. Test files are exempt:
 * their long lines are expected output and recorded data, easier to compare whole.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';

const WIDTH = 120;
const isTestData = (file: string) => /\.test\.ts$/.test(file) || file.startsWith('test/');

/** `file:line (length)` for every line of `text` over the width. */
function longLines(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => ([...line].length > WIDTH ? [`${file}:${i + 1} (${[...line].length})`] : []));
}

describe('line length', () => {
  it('finds a line one character over the width, and none at the width', () => {
    expect(longLines('a.ts', `${'x'.repeat(WIDTH)}\n${'y'.repeat(WIDTH + 1)}\n`)).toEqual([`a.ts:2 (${WIDTH + 1})`]);
    // Characters, not bytes: a line of 120 '→' is at the width.
    expect(longLines('b.ts', '→'.repeat(WIDTH))).toEqual([]);
  });

  it(`no line of code over ${WIDTH} characters outside test files`, () => {
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs', '*.cjs', '*.js'],
      {
        cwd: packageRoot,
        encoding: 'utf8',
      },
    );
    const files = listed
      .split('\0')
      .filter((file) => file && !isTestData(file) && fs.existsSync(path.join(packageRoot, file)));
    expect(files.length).toBeGreaterThan(100);
    const over = files.flatMap((file) => longLines(file, fs.readFileSync(path.join(packageRoot, file), 'utf8')));
    expect(over).toEqual([]);
  });
});
