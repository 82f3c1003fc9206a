/**
 * How the persistence models hold up against real crash images: runs
 *   writegate crash --fs ext4,xfs,btrfs --crash-scenarios power_loss,crash_image --seed <run>
 * on the reference writer, a writer that never fsyncs and one that never fsyncs the directory, `--runs`
 * times (each run on freshly made file systems), and tallies per writer and file system: images read,
 * what their targets held, observed atomicity and durability violations, and unsound images (a target
 * the file system's model does not allow). Root only; uses the built CLI (npm run build first).
 *
 *   npm run build && npx tsx crash/scripts/image-soundness.ts [--runs 20] [--fs ext4,xfs,btrfs]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readResultsCsv } from '../../core/csv.js';
import { decodeDetail, METRICS, RESULTS_CSV } from '../../core/schema.js';
import { packageRoot } from '../../core/self-script.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, fs: { type: 'string', default: 'ext4,xfs,btrfs' } },
});
const runs = Number(values.runs);
const cli = path.join(packageRoot, 'dist', 'cli', 'bin.js');
if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const fixture = (name: string) => path.join(packageRoot, 'test', 'fixtures', 'crash', name);
const writers = [
  `no-fsync=${python} ${fixture('no-fsync-writer.py')} {source} {target}`,
  `no-dir-fsync=${python} ${fixture('no-dir-fsync-writer.py')} {source} {target}`,
];

interface Tally {
  images: number;
  held: Record<string, number>;
  atomicity: number;
  durability: { lost: number; of: number };
  unsound: number;
  /** What the image taken right after exit 0 held, per run. */
  atExit: Record<string, number>;
}
const tallies = new Map<string, Tally>();
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-image-soundness-'));
const started = Date.now();
try {
  for (let run = 1; run <= runs; run++) {
    const out = path.join(base, `run-${run}`);
    const args = [
      cli,
      'crash',
      '--fs',
      values.fs,
      '--crash-scenarios',
      'power_loss,crash_image',
      '--subjects',
      'reference,no-fsync,no-dir-fsync',
      '--seed',
      String(run),
      '--out',
      out,
      ...writers.flatMap((w) => ['--writer-cmd', w]),
    ];
    const result = spawnSync(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CI: '1' },
    });
    if (result.status !== 0)
      throw new Error(`run ${run}: exit ${result.status ?? result.signal}\n${result.stderr.toString().slice(-2000)}`);
    for (const row of readResultsCsv(path.join(out, RESULTS_CSV))) {
      if (row.scenario !== 'crash_image' || row.metric !== METRICS.imageObservation) continue;
      const image = decodeDetail(METRICS.imageObservation, row.detail);
      if (!image) throw new Error(`run ${run}: an image_observation row that does not decode: ${row.detail}`);
      const key = `${row.subject} on ${row.fs}`;
      const tally = tallies.get(key) ?? {
        images: 0,
        held: {},
        atomicity: 0,
        durability: { lost: 0, of: 0 },
        unsound: 0,
        atExit: {},
      };
      tally.images += 1;
      tally.held[image.held] = (tally.held[image.held] ?? 0) + 1;
      if (image.held === 'other' || image.held === 'missing') tally.atomicity += 1;
      if (image.point === 'exit') {
        tally.durability.of += 1;
        if (image.held !== 'new') tally.durability.lost += 1;
        tally.atExit[image.held] = (tally.atExit[image.held] ?? 0) + 1;
      }
      if (image.unsound) tally.unsound += 1;
      tallies.set(key, tally);
    }
    process.stderr.write(`run ${run}/${runs} done (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
const lines = [
  '| writer on fs | images | targets held | atomicity violations | lost ' +
    'successes (image right after exit 0) | unsound |',
  '|---|---|---|---|---|---|',
];
for (const [key, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
  const held = Object.entries(t.held)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  lines.push(
    `| ${key} | ${t.images} | ${held} | ${t.atomicity} | ${t.durability.lost}/${t.durability.of} | ${t.unsound} |`,
  );
}
const unsound = [...tallies.values()].reduce((n, t) => n + t.unsound, 0);
process.stdout.write(
  `${lines.join('\n')}\n\n${runs} runs in ${Math.round((Date.now() - started) / 1000)} s; ` +
    `unsound images in all: ${unsound}\n`,
);
process.exitCode = unsound > 0 ? 1 : 0;
