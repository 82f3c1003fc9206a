/**
 * Where the time of one per-op command goes, by the ways writegate could start it, taken in turns
 * in one process that has loaded the whole CLI (as `writegate bench` has):
 *   execa      runProcess (execa; writegate's general process runner), wall time around the call
 *   in-process child_process.spawn from writegate's own process, spawn → 'exit'
 *   spawner    Spawner (what bench uses): spawn → exit as the small spawner process measures it
 *   round trip the same call, timed by the caller (what the figure would hold without self-timing)
 * then, right after, hyperfine -N's median on the same command when hyperfine is installed, and the
 * same command started from a small Python process by posix_spawn (vfork, what hyperfine does) and by
 * fork + exec (what node does), in turns: the difference is what a fork costs even a small parent.
 *
 *   npx tsx bench/scripts/spawn-cost.ts [--runs 300] [--python /usr/bin/python3] [--ballast-mib 0]
 *
 * Without --python the command is /bin/true; with it, the Python per-op writer at 1 KiB durable
 * (test/fixtures/bench/py_writer.py). --ballast-mib holds that much more memory in writegate's
 * process first, to show what a fork of a bigger parent costs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { quote } from 'shell-quote';
import '../../cli/main.js';
import { InputError, isInputError } from '../../core/errors.js';
import { parseNonNegativeInt, parsePositiveInt } from '../../core/parse.js';
import { runProcess } from '../../core/process.js';
import { packageRoot } from '../../core/self-script.js';
import { Spawner } from '../../core/spawner.js';
import { percentile } from '../../core/stats.js';
import { hyperfineMedianMs } from '../../core/hyperfine.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '300' },
      python: { type: 'string' },
      'ballast-mib': { type: 'string', default: '0' },
    },
    strict: true,
  });
  const runs = parsePositiveInt(String(values.runs), '--runs');
  const ballastMiB = parseNonNegativeInt(String(values['ballast-mib']), '--ballast-mib');
  const ballast = Array.from({ length: ballastMiB }, () => Buffer.alloc(2 ** 20, 1));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-spawn-cost-'));
  try {
    const a = path.join(dir, 'a.bin');
    const b = path.join(dir, 'b.bin');
    const target = path.join(dir, 'target.bin');
    fs.writeFileSync(a, Buffer.alloc(1024, 0x61));
    fs.writeFileSync(b, Buffer.alloc(1024, 0x62));
    if (values.python !== undefined && !fs.existsSync(values.python))
      throw new InputError(`--python: ${values.python} does not exist`);
    const writer =
      values.python === undefined
        ? undefined
        : [values.python, path.join(packageRoot, 'test', 'fixtures', 'bench', 'py_writer.py')];
    // Every write a real change: the payloads alternate, like bench's.
    let turn = 0;
    const next = (): string[] => (writer ? [...writer, turn++ % 2 ? a : b, target, 'durable'] : ['/bin/true']);

    const figures = {
      execa: [] as number[],
      'in-process': [] as number[],
      spawner: [] as number[],
      'round trip': [] as number[],
    };
    const spawner = Spawner.start();
    try {
      for (let i = 0; i < runs + 5; i++) {
        const keep = i >= 5;
        let started = performance.now();
        await runProcess(next());
        if (keep) figures.execa.push(performance.now() - started);
        const inProcess = await spawnToExit(next());
        if (keep) figures['in-process'].push(inProcess);
        started = performance.now();
        const result = await spawner.run(next());
        if (keep) figures['round trip'].push(performance.now() - started);
        if (keep) figures.spawner.push(result.elapsedMs);
      }
    } finally {
      await spawner.close();
    }
    const anonMiB = Number(/RssAnon:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
    const timedCommand = writer ? `${path.basename(writer[0] as string)} py_writer.py durable 1 KiB` : '/bin/true';
    const ballastNote = ballastMiB ? ` (${ballastMiB} MiB ballast)` : '';
    const loadAverage = os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    console.log(
      `${timedCommand}, ${runs} runs each, in turns; ` +
        `writegate's process: ${anonMiB.toFixed(0)} MiB anonymous memory${ballastNote}; load average ${loadAverage}`,
    );
    for (const [name, values] of Object.entries(figures))
      console.log(`  ${name.padEnd(11)} median ${percentile(values, 50).toFixed(3)} ms`);
    const hyperfine = hyperfineMedian(
      writer ? [...writer, a, target, 'durable'] : ['/bin/true'],
      writer ? [...writer, b, target, 'durable'] : undefined,
      runs,
      dir,
    );
    const hyperfineText = hyperfine === undefined ? '(not installed)' : `${hyperfine.toFixed(3)} ms`;
    console.log(`  ${'hyperfine'.padEnd(11)} median ${hyperfineText}`);
    const python = values.python ?? 'python3';
    const fromPython = pythonSpawns(
      python,
      writer ? [...writer, a, target, 'durable'] : ['/bin/true'],
      writer ? [...writer, b, target, 'durable'] : ['/bin/true'],
      runs,
    );
    for (const [name, ms] of Object.entries(fromPython ?? { posix_spawn: undefined, 'fork + exec': undefined })) {
      console.log(
        `  ${name.padEnd(11)} median ${ms === undefined ? `(${python} not found)` : `${ms.toFixed(3)} ms`}  ` +
          `(from a Python process)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    ballast.length = 0;
  }
}

/** child_process.spawn from this process, output discarded, timed from just before the spawn to 'exit'. */
function spawnToExit(argv: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

function hyperfineMedian(
  timed: readonly string[],
  prepare: readonly string[] | undefined,
  runs: number,
  dir: string,
): number | undefined {
  const exported = path.join(dir, 'hyperfine.json');
  const result = spawnSync(
    'hyperfine',
    [
      '-N',
      '--style',
      'none',
      '--warmup',
      '3',
      '--runs',
      String(runs),
      ...(prepare ? ['--prepare', quote(prepare)] : []),
      '--export-json',
      exported,
      quote(timed),
    ],
    { stdio: 'ignore' },
  );
  if (result.error || result.status !== 0) return undefined;
  return hyperfineMedianMs(fs.readFileSync(exported, 'utf8'), exported);
}

/** Times, in one small Python process, `runs` starts of the command by posix_spawn and by fork + exec, in turns. */
function pythonSpawns(
  python: string,
  first: readonly string[],
  second: readonly string[],
  runs: number,
): Record<string, number> | undefined {
  const driver = `
import json, os, statistics, sys, time
argvs, runs = json.loads(sys.argv[1]), int(sys.argv[2])
def posix_spawn(argv):
    pid = os.posix_spawn(argv[0], argv, os.environ)
    os.waitpid(pid, 0)
def fork_exec(argv):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    os.waitpid(pid, 0)
times = {'posix_spawn': [], 'fork + exec': []}
turn = 0
for i in range(runs + 5):
    for name, start in (('posix_spawn', posix_spawn), ('fork + exec', fork_exec)):
        argv = argvs[turn % 2]
        turn += 1
        started = time.perf_counter_ns()
        start(argv)
        if i >= 5:
            times[name].append((time.perf_counter_ns() - started) / 1e6)
print(json.dumps({name: statistics.median(values) for name, values in times.items()}))
`;
  const result = spawnSync(python, ['-c', driver, JSON.stringify([first, second]), String(runs)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (result.error || result.status !== 0) return undefined;
  return JSON.parse(result.stdout) as Record<string, number>;
}

try {
  await main();
} catch (error) {
  process.stderr.write(`spawn-cost: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = isInputError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}
