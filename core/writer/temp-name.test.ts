import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import { tempPathFor, writeFileAtomicSync } from './atomic-write.js';

describe('tempPathFor', () => {
  it('gives a hidden name in the target directory: .<base>.<pid>.<12 hex>.tmp', () => {
    const temp = tempPathFor('/some/dir/config.json');
    expect(path.dirname(temp)).toBe('/some/dir');
    expect(path.basename(temp)).toMatch(new RegExp(`^\\.config\\.json\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
  });

  it('never repeats a name, across several refills of its random pool', () => {
    const names = new Set<string>();
    for (let i = 0; i < 2000; i++) names.add(tempPathFor('/d/t'));
    expect(names.size).toBe(2000);
  });
});

describe('target paths the writer normalizes itself', () => {
  it.each(['a/../t', 'a/./../t', 'a//..//t', './t'])('writes %s to <dir>/t with its temp beside it', (relative) => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wg-writer-')));
    try {
      fs.mkdirSync(path.join(dir, 'a'));
      const absolute = `${dir}/${relative}`;
      const stats = writeFileAtomicSync(absolute, 'x');
      expect(stats.renameCount).toBe(1);
      expect(fs.readFileSync(path.join(dir, 't'), 'utf8')).toBe('x');
      expect(fs.readdirSync(dir).sort()).toEqual(['a', 't']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
