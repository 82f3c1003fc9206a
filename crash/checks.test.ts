import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrace } from '../core/trace/strace.js';
import { ContentStore } from './contents.js';
import { TrialDir } from './sandbox.js';
import { buildWritePath } from './strace/write-path.js';
import { checkError, faultOf } from './checks.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-injected-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const contents = new ContentStore(path.join(root, 'contents'), 3);
const old = contents.get(5000, 'old');
const fresh = contents.get(5000, 'new');

/**
 * A trial whose writer exited 0 with the new content in place, and the trace (one call marked injected) of how it got
 * there.
 */
function succeededTrial(lines: (dir: string, target: string) => string[]) {
  const trial = TrialDir.create(path.join(root, `t${Math.random().toString(16).slice(2)}`), old);
  fs.writeFileSync(trial.target, fresh.bytes);
  const model = buildWritePath(parseTrace(lines(trial.dir, trial.target).join('\n')), {
    target: trial.target,
    tmpDir: trial.tmp,
  });
  const fired = model.calls.find((pc) => pc.call.injected);
  if (!fired) throw new Error('no injected call in the test trace');
  return { trial, verdict: { reached: true as const, fired, model, what: '' } };
}

const tempWrite = (dir: string): string[] => [
  `1 openat(AT_FDCWD</w>, "${dir}/.t.1", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${dir}/.t.1>`,
  `1 write(4<${dir}/.t.1>, ""..., 5000) = 5000`,
];

describe('the false-success rule after an injected error', () => {
  it('a refused probe that the writer recovered from, with the new content in place, is not a false success', () => {
    const { trial, verdict } = succeededTrial((dir, target) => [
      `1 openat(AT_FDCWD</w>, "${dir}/.probe-1", O_WRONLY|O_CREAT|O_EXCL, 0600) ` +
        `= -1 EACCES (Permission denied) (INJECTED)`,
      ...tempWrite(dir),
      `1 fsync(4<${dir}/.t.1>) = 0`,
      `1 rename("${dir}/.t.1", "${target}") = 0`,
    ]);
    expect(faultOf(verdict)).toEqual({ sync: false, onTargetData: false });
    const checked = checkError(trial.held(old, fresh), trial.leftovers(), 'success', 'exit 0', faultOf(verdict));
    expect(checked.falseSuccess).toBe(false);
    expect(checked.corrupt).toBe(false);
    expect(checked.problems).toEqual([]);
  });

  it(
    'an fsync of the file that became the target failed, yet exit 0: a false ' +
      'success even though the bytes look right',
    () => {
      const { trial, verdict } = succeededTrial((dir, target) => [
        ...tempWrite(dir),
        `1 fsync(4<${dir}/.t.1>) = -1 EIO (Input/output error) (INJECTED)`,
        `1 fsync(4<${dir}/.t.1>) = 0`,
        `1 rename("${dir}/.t.1", "${target}") = 0`,
      ]);
      expect(faultOf(verdict)).toEqual({ sync: true, onTargetData: true });
      const checked = checkError(trial.held(old, fresh), trial.leftovers(), 'success', 'exit 0', faultOf(verdict));
      expect(checked.falseSuccess).toBe(true);
      expect(checked.problems[0]).toMatch(/fsync of the file that became the target failed/);
    },
  );

  it('exit 0 with the old content still in place is a false success whatever failed', () => {
    const trial = TrialDir.create(path.join(root, 'kept-old'), old);
    const checked = checkError(trial.held(old, fresh), trial.leftovers(), 'success', 'exit 0', {
      sync: false,
      onTargetData: false,
    });
    expect(checked.falseSuccess).toBe(true);
  });
});
