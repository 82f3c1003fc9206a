/**
 * writegate's bench against hyperfine, side by side in one run, on the same commands: /bin/true and
 * a Python per-op writer at 1 KiB durable (it really writes {source} to {target}: temp file,
 * fdatasync, rename, directory fsync). For each command, in each round, it runs
 *   hyperfine -N --warmup 3 --runs N --export-json …
 *   writegate bench --writer-cmd 'NAME=COMMAND {source} {target} {mode}' --subjects NAME --sizes 1KiB
 *     --modes durable --samples N --trace-writes 0 --out …
 * the two taking turns (ABBA across rounds, so load that comes and goes touches both), then prints
 * hyperfine's median, writegate's p50 (each the median of its per-round figures), their ratio and
 * whether it is within 5%.
 *
 *   npx tsx bench/scripts/hyperfine-parity.ts [--rounds 5] [--runs 40] [--python /usr/bin/python3] [--built]
 *
 * --built runs dist/cli/bin.js (after `npm run build`), as an installed writegate runs; by default
 * the CLI runs from source through the tsx loader, as the tests do. Exit 2 with one line when
 * hyperfine is missing or an argument is wrong.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quote } from 'shell-quote';
import { readResultsCsv } from '../../core/csv.js';
import { InputError, isInputError } from '../../core/errors.js';
import { parsePositiveInt } from '../../core/parse.js';
import { RESULTS_CSV } from '../../core/schema.js';
import { packageRoot, selfScriptArgv } from '../../core/self-script.js';
import { hyperfineMedianMs } from '../../core/hyperfine.js';
import { judge, parityTable, writegateP50Ms, type ParityRound } from './parity-figures.js';

const SIZE = 1024;
const MODE = 'durable';
const WARMUP = 3;
const PY_WRITER = path.join(packageRoot, 'test', 'fixtures', 'bench', 'py_writer.py');

interface Command {
  /** The writer's name in writegate's rows (and the table's first column). */
  name: string;
  /** argv before {source} {target} {mode}. */
  program: string[];
  /** Whether it really writes: hyperfine's runs then start from the state writegate's do. */
  writes: boolean;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      runs: { type: 'string', default: '40' },
      python: { type: 'string' },
      built: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const rounds = parsePositiveInt(String(values.rounds), '--rounds');
  const runs = parsePositiveInt(String(values.runs), '--runs');
  const hyperfineVersion = toolLine('hyperfine', ['--version']);
  if (!hyperfineVersion)
    throw new InputError(
      'hyperfine is not installed (not found on PATH); install it (Debian, Ubuntu: ' +
        'apt-get install hyperfine) and run this again',
    );
  const cli = writegateArgv(values.built === true);
  const python = values.python ?? realPython();
  const commands: Command[] = [
    { name: 'true', program: ['/bin/true'], writes: false },
    { name: 'py', program: [python, PY_WRITER], writes: true },
  ];

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-hyperfine-parity-'));
  try {
    const payloads = makePayloads(work);
    const load = () =>
      os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ');
    console.log(
      `${hyperfineVersion} vs writegate (${values.built ? 'dist/cli/bin.js' : 'from source, tsx loader'}), ` +
        `node ${process.version}, ${os.cpus().length} CPUs`,
    );
    console.log(
      `${rounds} rounds × ${runs} runs, ${WARMUP} warm-up, ${MODE} ${SIZE} B; load average ${load()} (1, 5, 15 min)`,
    );
    const perCommand = new Map<Command, ParityRound[]>(commands.map((command) => [command, []]));
    for (let round = 0; round < rounds; round++) {
      for (const command of commands) {
        const hyperfineFirst = round % 2 === 0;
        const dir = path.join(work, `${round}-${command.name}`);
        fs.mkdirSync(dir);
        let hyperfineMs = 0;
        let writegateMs = 0;
        for (const tool of hyperfineFirst ? ['hyperfine', 'writegate'] : ['writegate', 'hyperfine']) {
          if (tool === 'hyperfine') hyperfineMs = runHyperfine(command, payloads, runs, dir);
          else writegateMs = runWritegate(cli, command, runs, dir);
        }
        perCommand.get(command)?.push({ hyperfineMs, writegateMs });
        process.stderr.write(
          `round ${round + 1}/${rounds} ${command.name}: hyperfine ${hyperfineMs.toFixed(3)} ms, ` +
            `writegate ${writegateMs.toFixed(3)} ms\n`,
        );
      }
    }
    console.log(`load average after: ${load()}`);
    console.log('');
    console.log(
      parityTable(
        commands.map((command) => ({ command: describe(command), verdict: judge(perCommand.get(command) ?? []) })),
      ),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface Payloads {
  /** What the timed write writes. */
  a: string;
  /** What hyperfine's prepare step writes first, so every timed write is a real change. */
  b: string;
}

function makePayloads(dir: string): Payloads {
  const a = path.join(dir, 'a.bin');
  const b = path.join(dir, 'b.bin');
  fs.writeFileSync(a, Buffer.alloc(SIZE, 0x61));
  fs.writeFileSync(b, Buffer.alloc(SIZE, 0x62));
  return { a, b };
}

/**
 * hyperfine's runs get the state writegate's timed writes get: the target holds the other payload,
 * written durably by the same writer (hyperfine's untimed --prepare), so each timed run is a real
 * change that must be synced, not a no-op the writer can skip.
 */
function runHyperfine(command: Command, payloads: Payloads, runs: number, dir: string): number {
  const target = path.join(dir, 'hyperfine-target.bin');
  const exported = path.join(dir, 'hyperfine.json');
  const timed = quote([...command.program, payloads.a, target, MODE]);
  const prepare = command.writes ? ['--prepare', quote([...command.program, payloads.b, target, MODE])] : [];
  const args = [
    '-N',
    '--style',
    'none',
    '--warmup',
    String(WARMUP),
    '--runs',
    String(runs),
    ...prepare,
    '--export-json',
    exported,
    timed,
  ];
  run('hyperfine', args);
  return hyperfineMedianMs(fs.readFileSync(exported, 'utf8'), exported);
}

function runWritegate(cli: string[], command: Command, runs: number, dir: string): number {
  const out = path.join(dir, 'writegate');
  const template = `${command.name}=${quote(command.program)} {source} {target} {mode}`;
  // --no-verdict: only the p50 is wanted here; /bin/true writes nothing, which the bench gates rightly fail.
  const args = [
    'bench',
    '--profile',
    'quick',
    '--writer-cmd',
    template,
    '--subjects',
    command.name,
    '--sizes',
    `${SIZE}`,
    '--modes',
    MODE,
    '--samples',
    String(runs),
    '--trace-writes',
    '0',
    '--no-verdict',
    '--out',
    out,
  ];
  run(cli[0] as string, [...cli.slice(1), ...args]);
  const csv = path.join(out, RESULTS_CSV);
  return writegateP50Ms(readResultsCsv(csv), command.name, MODE, SIZE, csv);
}

function run(file: string, args: string[]): void {
  const result = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error) throw new Error(`${file}: cannot start: ${result.error.message}`);
  if (result.status !== 0) {
    const last = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
    throw new Error(
      `${path.basename(file)} ${args.slice(0, 2).join(' ')} … exited ${result.status ?? result.signal}: ${last}`,
    );
  }
}

function writegateArgv(built: boolean): string[] {
  if (!built) return selfScriptArgv('cli/bin.ts');
  const bin = path.join(packageRoot, 'dist', 'cli', 'bin.js');
  if (!fs.existsSync(bin)) throw new InputError(`--built: ${bin} does not exist; run npm run build first`);
  return [process.execPath, bin];
}

/** python3's real executable: a version manager's shim (pyenv) would add a shell script to every run. */
function realPython(): string {
  const executable = toolLine('python3', ['-c', 'import sys; print(sys.executable)']);
  if (!executable) throw new InputError('python3 is not on PATH; give one with --python PATH');
  return executable;
}

function toolLine(file: string, args: string[]): string | undefined {
  const result = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? result.stdout.trim().split('\n')[0] : undefined;
}

function describe(command: Command): string {
  if (!command.writes) return command.program.join(' ');
  const runtime = path.basename(command.program[0] as string);
  const script = path.basename(command.program[1] as string);
  return `${runtime} ${script} (${MODE} 1 KiB)`;
}

try {
  main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`hyperfine-parity: ${message}\n`);
  process.exitCode = isInputError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}
