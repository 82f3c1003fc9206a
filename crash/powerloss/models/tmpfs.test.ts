/** The tmpfs model: everything lost, whatever was synced; explanations blame the file system, not the writer. */
import { describe, expect, it } from 'vitest';
import { explore } from '../explore.js';
import { allowedViews, inPlaceRewrite, syncedWriter, tempRename } from '../writer-shapes.js';

describe('tmpfs', () => {
  it('atomic replace: atomic (the old file is what survives) but never durable, and the explanation says why', () => {
    const input = tempRename({ fsyncTemp: true, fsyncDir: true });
    const found = explore(input, 'tmpfs');
    expect(found.exhaustive).toBe(true);
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.states).toBeGreaterThan(0);
    expect(found.durability.violations).toBe(found.durability.states);
    const durability = found.violations.find((v) => v.check === 'durability')!;
    expect(durability.target.kind).toBe('old');
    expect(durability.explanation).toMatch(
      /^after success \(exit 0\) the target still holds the old content \(10800 bytes\): tmpfs keeps files in memory only: a power cut loses every operation, synced or not \(the file system, not the writer\) \(persisted: nothing; lost: /,
    );
  });

  it('every state at every crash point is the state before the run, whatever the writer synced', () => {
    for (const input of [
      tempRename({ fsyncTemp: true, fsyncDir: true }),
      tempRename(),
      syncedWriter('sync()'),
      syncedWriter('O_DSYNC'),
      inPlaceRewrite({ fsync: true }),
    ]) {
      const byPoint = allowedViews(input, 'tmpfs');
      expect(byPoint.size).toBe(input.ops.length + 1);
      for (const { views } of byPoint.values()) expect(views).toEqual([{ kind: 'old', size: 10800 }]);
      expect(explore(input, 'tmpfs').violations.filter((v) => v.check === 'durability')).toHaveLength(1);
    }
  });

  it('a target that did not exist before stays absent: allowed by atomicity, a durability failure', () => {
    const found = explore(tempRename({ old: false, fsyncTemp: true, fsyncDir: true }), 'tmpfs');
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.violations).toBe(found.durability.states);
    expect(found.violations[0]!.target.kind).toBe('absent');
  });
});
