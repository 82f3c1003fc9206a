/**
 * How `analyze` scales: writes a realistic results CSV (analyze/scripts/scale-csv.ts: nightly-like
 * full runs of bench latency samples across subjects × modes × sizes, plus crash and parity rows),
 * then times the built CLI on it and reports wall time, CPU time and peak RSS.
 *
 *   npm run build && npx tsx analyze/scripts/scale.ts [--rows 1000000] [--dir DIR] [--keep]
 *
 * Goal: 1,000,000 rows in ≤ 30 s and ≤ 1.5 GiB on a 2-core machine. Peak RSS comes from
 * `/usr/bin/time -v`; the load average is printed because a busy machine stretches the wall time
 * (the CPU time does not stretch).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScaleCsv } from './scale-csv.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist', 'cli', 'bin.js');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const rows = Number(option('--rows') ?? 1_000_000);
if (!Number.isSafeInteger(rows) || rows < 1) {
  console.error(`--rows: expected a positive whole number, got ${JSON.stringify(option('--rows'))}`);
  process.exit(2);
}
if (!fs.existsSync(cli)) {
  console.error(`${path.relative(process.cwd(), cli)} is missing: run npm run build first`);
  process.exit(2);
}
const dir = option('--dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-scale-'));
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `results-${rows}.csv`);
const outDir = path.join(dir, 'out');

const started = Date.now();
const written = await writeScaleCsv(file, rows);
console.log(
  `wrote ${file}: ${written.rows} rows, ${written.runs} run(s), ${(written.bytes / 2 ** 20).toFixed(1)} MiB ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const timeBin = '/usr/bin/time';
const haveTime = fs.existsSync(timeBin);
const command = haveTime
  ? [timeBin, '-v', process.execPath, cli, 'analyze', file, '--out', outDir]
  : [process.execPath, cli, 'analyze', file, '--out', outDir];
console.log(
  `load average before: ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} (${os.cpus().length} CPUs)`,
);
console.log(`$ ${command.join(' ')}`);
const t0 = process.hrtime.bigint();
const result = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const stderr = result.stderr ?? '';
const verdictLine = stderr.split('\n').find((line) => /^(PASS|FAIL):|^writegate:/.test(line)) ?? '(no verdict line)';
const field = (label: string): string | undefined => new RegExp(`${label}: (.*)`).exec(stderr)?.[1]?.trim();
const rssKiB = Number(field('Maximum resident set size \\(kbytes\\)') ?? Number.NaN);
const cpu =
  Number(field('User time \\(seconds\\)') ?? Number.NaN) + Number(field('System time \\(seconds\\)') ?? Number.NaN);

console.log(verdictLine);
console.log(`exit code:   ${result.status}`);
console.log(`wall time:   ${wall.toFixed(1)} s (goal ≤ 30 s)`);
if (haveTime) {
  console.log(`CPU time:    ${cpu.toFixed(1)} s (user + system)`);
  console.log(`peak RSS:    ${(rssKiB / 2 ** 20).toFixed(2)} GiB (${Math.round(rssKiB / 1024)} MiB; goal ≤ 1.5 GiB)`);
} else {
  console.log(`peak RSS:    not measured (${timeBin} is missing)`);
}
console.log(
  `load average after: ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
if (!option('--dir') && !process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
process.exit(result.status === 0 || result.status === 1 ? 0 : 1);
