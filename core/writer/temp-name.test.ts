import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from './atomic-write.js';

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
