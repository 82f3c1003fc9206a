/**
 * The writer's box, end to end: a writer runs in its trial's own directory, so files it writes by a
 * relative path land in the workspace — never in the project writegate was started from — and its
 * traces report them as writes outside its target's directory and $TMPDIR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type ResultRow } from '../core/schema.js';
import { commandSubject } from '../core/subjects/command-subject.js';
import { analyzeCrash, CRASH_FIXTURES, fixture, gatesWith, PYTHON, runCrash } from '../test/support/crash-harness.js';

let project: string;
let started: string;
beforeAll(() => {
  started = process.cwd();
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-box-'));
  // The writer is named as a user would from their project: by a path relative to where writegate starts.
  fs.mkdirSync(path.join(project, 'repo', 'tools'), { recursive: true });
  fs.symlinkSync(
    path.join(CRASH_FIXTURES, 'escaping-writer.py'),
    path.join(project, 'repo', 'tools', 'escaping-writer.py'),
  );
  fs.mkdirSync(path.join(project, 'elsewhere'));
  process.chdir(path.join(project, 'repo'));
  process.env.ESCAPE_TO = path.join(project, 'elsewhere', 'escape_log');
});
afterAll(() => {
  delete process.env.ESCAPE_TO;
  process.chdir(started);
  fs.rmSync(project, { recursive: true, force: true });
});

describe('a writer that writes where it was not asked to', () => {
  let rows: ResultRow[] = [];

  beforeAll(async () => {
    ({ rows } = await runCrash(
      [
        commandSubject({ name: 'escaping', template: `${PYTHON} tools/escaping-writer.py {source} {target}` }),
        fixture('correct', 'correct-writer.py'),
      ],
      [1024],
      { crashScenarios: 'kill_at_step,inject_error,power_loss' },
    ));
  }, 120_000);

  it('leaves nothing in the project it was started from, nor beside it; a file outside the workspace is left alone', () => {
    expect(fs.readdirSync(path.join(project, 'repo'))).toEqual(['tools']);
    expect(fs.readdirSync(path.join(project, 'repo', 'tools'))).toEqual(['escaping-writer.py']);
    expect(fs.readdirSync(project).sort()).toEqual(['elsewhere', 'repo']);
    // Not writegate's to remove: it is reported, by its absolute path.
    expect(fs.readdirSync(path.join(project, 'elsewhere'))).toEqual(['escape_log']);
  });

  it('is reported with the files it touched, and a correct writer is not', () => {
    const escaping = rows.find((row) => row.subject === 'escaping' && row.metric === METRICS.writesOutside);
    expect(escaping?.value).toBe(3);
    expect(escaping?.detail).toContain(`changed 3 file(s) outside its target's directory and $TMPDIR`);
    expect(escaping?.detail).toContain(
      `: escape_log, ../escape_log, ${path.join(project, 'elsewhere', 'escape_log')} (a relative name`,
    );
    const correct = rows.find((row) => row.subject === 'correct' && row.metric === METRICS.writesOutside);
    expect(correct?.value).toBe(0);
  });

  it('fails crash.writes_outside, and a correct writer passes it', async () => {
    const outcome = await analyzeCrash(rows, project, 'box');
    expect(gatesWith(outcome, 'fail').get('escaping')).toEqual(['crash.writes_outside']);
    expect(gatesWith(outcome, 'pass').get('correct')).toContain('crash.writes_outside');
    // The report lives under the project dir: take it away again for the first check's sake.
    fs.rmSync(path.join(project, 'box'), { recursive: true, force: true });
    fs.rmSync(path.join(project, 'box.csv'), { force: true });
  });
});
