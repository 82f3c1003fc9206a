/**
 * How often the concurrent scenario catches a fast fixed-temp-name writer, and how often it
 * wrongly fails a correct one. Each run is one quick crash run of the concurrent scenario alone
 * (the in-process equivalent of
 *   writegate crash --writer-cmd 'ft=python3 test/fixtures/crash/fixed-temp-writer.py {source} {target}'
 *     --subjects ft --crash-scenarios concurrent --profile quick
 * with the other subjects alongside), at one size, with a fresh workspace and seed.
 *
 *   npx tsx crash/scripts/concurrent-catch-rate.ts [--runs 20] [--sizes 1024,1048576]
 *
 * Prints, per subject and size, in how many runs the round was caught (corruption or false
 * success), flagged as a fixed temp name, or not reached.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SilentProgress } from '../../core/progress.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { packageRoot } from '../../core/self-script.js';
import { RowSink } from '../../core/sink.js';
import { builtinWriter } from '../../core/subjects/builtins/index.js';
import { commandSubject } from '../../core/subjects/command-subject.js';
import { inProcessSubject } from '../../core/subjects/in-process-subject.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { Workspace } from '../../core/workspace.js';
import { TrialPlace } from '../../core/trial-place.js';
import { parseOptions } from '../../core/suite-options.js';
import { crashSuite } from '../index.js';
import { crashOptionsSchema } from '../options.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, sizes: { type: 'string', default: '1024,1048576' } },
});
const runs = Number(values.runs);
const sizes = String(values.sizes).split(',').map(Number);

const fixtures = path.join(packageRoot, 'test', 'fixtures', 'crash');
const python = (name: string, script: string): WriterSubject =>
  commandSubject({ name, template: `python3 '${path.join(fixtures, script)}' {source} {target}` });
const subjects: WriterSubject[] = [
  python('ft', 'fixed-temp-writer.py'),
  python('ft-1k', 'fixed-temp-1k-writer.py'),
  python('correct', 'correct-writer.py'),
  inProcessSubject(builtinWriter('reference') as NonNullable<ReturnType<typeof builtinWriter>>),
];

interface Count {
  caught: number;
  flagged: number;
  notReached: number;
  unforced: number;
}

const value = (rows: readonly ResultRow[], subject: string, metric: string): number =>
  rows
    .filter((row) => row.subject === subject && row.metric === metric)
    .reduce((sum, row) => sum + (row.value ?? 0), 0);

for (const size of sizes) {
  const counts = new Map<string, Count>(
    subjects.map((subject) => [subject.name, { caught: 0, flagged: 0, notReached: 0, unforced: 0 }]),
  );
  const started = Date.now();
  for (let i = 1; i <= runs; i++) {
    const workspace = Workspace.create('wg-catch-rate-');
    const sink = new RowSink();
    try {
      const plan = crashSuite.plan(
        { profile: 'quick', config: {}, subjects, sizes: [size], fileSystems: [] },
        parseOptions(crashOptionsSchema, { crashScenarios: 'concurrent' }),
      );
      await crashSuite.run(
        {
          workspace,
          trials: TrialPlace.workspace(workspace),
          keep: (file: string) => file,
          sink,
          profile: 'quick',
          config: {},
          subjects,
          sizes: [size],
          seed: i,
          progress: new SilentProgress(),
        },
        plan,
      );
    } finally {
      await workspace.dispose();
    }
    for (const subject of subjects) {
      const count = counts.get(subject.name) as Count;
      const concurrent = sink.rows.filter((row) => row.scenario === 'concurrent');
      if (
        value(concurrent, subject.name, METRICS.corruptionRate) > 0 ||
        value(concurrent, subject.name, METRICS.falseSuccessRate) > 0
      )
        count.caught += 1;
      if (value(sink.rows, subject.name, METRICS.fixedTempName) > 0) count.flagged += 1;
      if (value(concurrent, subject.name, METRICS.notReached) > 0) count.notReached += 1;
      if (value(concurrent, subject.name, METRICS.overlapNotForced) > 0) count.unforced += 1;
    }
    process.stderr.write(`size ${size}: run ${i}/${runs}\r`);
  }
  process.stderr.write('\n');
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`size ${size} bytes, ${runs} quick runs of the concurrent scenario (${seconds} s):`);
  for (const [name, count] of counts) {
    console.log(
      `  ${name.padEnd(10)} caught ${count.caught}/${runs}  fixed temp name ` +
        `flagged ${count.flagged}/${runs}  not reached ${count.notReached}/${runs}  ` +
        `not forced ${count.unforced}/${runs}`,
    );
  }
}
