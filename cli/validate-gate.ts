/**
 * `writegate validate-gate`: the regression gate measured on itself, on this machine, now.
 *
 * K rounds on one commit. Each round runs the bench three times in separate processes, in a rotating
 * order — base, the same again (A/A), and the probe slowed by a known amount — and compares base with
 * each exactly as the PR gate compares base with head (`analyze --baseline`). The probe is a built-in
 * writer behind a test-only JSON-lines driver (test/fixtures/trend/slowed-driver.ts) that, after
 * every write, spins for `effect` × (that write's own time + the driver round trip), or does one
 * extra fsync.
 *
 * Reports false alarms (A/A comparisons the gate failed) and detections (slowed runs it called a
 * regression), with Mann-Whitney U scored on the same samples, the noise it saw and the load average,
 * into <out>/validate-gate.md and .json. Exit 0 when the issue's targets hold (no false alarm; ≥ 95%
 * detections), 1 when they do not, 2 on bad input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { quote } from 'shell-quote';
import { compareBaseline, type BaselineOptions } from '../analyze/regression/compare-baseline.js';
import { formatFigure, percentChange } from '../analyze/regression/format.js';
import { keyId, keyLabel, type SeriesKey } from '../analyze/regression/keys.js';
import { loadPolicies } from '../analyze/regression/policy.js';
import { tallyValidation, targetsMet, type ProbeComparison, type ValidationRound, type ValidationTally } from '../analyze/regression/validation.js';
import { z } from 'zod';
import { parseJsonFile } from '../core/config.js';
import { readResultsCsv, rowsToCsv } from '../core/csv.js';
import { percentile } from '../core/stats.js';
import { InputError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import { envFromRows, METRICS, type ResultRow } from '../core/schema.js';
import { selfScriptArgv } from '../core/self-script.js';
import { bundleSelfScripts } from '../core/self-script-bundle.js';
import { Workspace } from '../core/workspace.js';
import { writeFileAtomicSync, WRITE_MODES } from '../core/writer/index.js';
import { parseNonNegativeInt, parseSize } from './parse.js';

export const PROBE = 'probe';
const DRIVER = 'test/fixtures/trend/slowed-driver.ts';
type Arm = keyof ValidationRound;
/** Every order of the three arms, used in turn, so no arm always runs first (warm caches) or last. */
const ORDERS: readonly (readonly Arm[])[] = [
  ['base', 'again', 'slowed'],
  ['slowed', 'base', 'again'],
  ['again', 'slowed', 'base'],
  ['base', 'slowed', 'again'],
  ['again', 'base', 'slowed'],
  ['slowed', 'again', 'base'],
];

interface ValidateFlags {
  subject: string;
  size: string;
  mode: string;
  comparisons: string;
  rounds: string;
  effect: string;
  inject: 'spin' | 'fsync';
  samples: string;
  out: string;
  regressionPolicy?: string;
  rescore?: string;
  rescoreRuns?: string;
  multiplicity: BaselineOptions['multiplicity'];
  json: boolean;
}

interface Settings {
  subject: string;
  sizeBytes: number;
  mode: string;
  rounds: number;
  /** Runs per arm per comparison, interleaved. */
  runsPerArm: number;
  effect: number;
  inject: 'spin' | 'fsync';
  samples: number;
  outDir: string;
  policyFile?: string;
  /** How a comparison's gated timing series are judged together; none exists to measure what the correction buys. */
  multiplicity: BaselineOptions['multiplicity'];
  json: boolean;
}

function parseSettings(flags: ValidateFlags): Settings {
  const rounds = parseNonNegativeInt(flags.comparisons, '--comparisons');
  if (rounds < 1) throw new InputError('--comparisons: at least 1');
  const runsPerArm = parseNonNegativeInt(flags.rounds, '--rounds');
  if (runsPerArm < 1) throw new InputError('--rounds: at least 1');
  const samples = parseNonNegativeInt(flags.samples, '--samples');
  if (samples < 5) throw new InputError('--samples: at least 5 (the comparison needs 5 per arm)');
  const effect = Number(flags.effect);
  if (!Number.isFinite(effect) || effect <= 0 || effect > 10) throw new InputError(`--effect: a fraction like 0.25 (+25%), got ${JSON.stringify(flags.effect)}`);
  if (!(WRITE_MODES as readonly string[]).includes(flags.mode)) throw new InputError(`--mode: expected ${WRITE_MODES.join(', ')}, got ${JSON.stringify(flags.mode)}`);
  return {
    subject: flags.subject,
    sizeBytes: parseSize(flags.size, '--size'),
    mode: flags.mode,
    rounds,
    runsPerArm,
    effect,
    inject: flags.inject,
    samples,
    outDir: path.resolve(flags.out),
    policyFile: flags.regressionPolicy,
    multiplicity: flags.multiplicity,
    json: flags.json,
  };
}

function probeKey(settings: Settings): SeriesKey {
  return { suite: 'bench', scenario: 'write', subject: PROBE, mode: settings.mode, size_bytes: settings.sizeBytes, engine: 'tinybench', metric: METRICS.latencyP50 };
}

/** One bench run in its own process, as CI runs it; returns its rows. */
async function benchRun(settings: Settings, workspace: Workspace, label: string, driverArgs: string[]): Promise<ResultRow[]> {
  const dir = workspace.dir('runs', label);
  const config = path.join(dir, 'writegate.config.json');
  const driver = quote(selfScriptArgv(DRIVER, ['--writer', settings.subject, ...driverArgs]));
  fs.writeFileSync(config, JSON.stringify({ writers: { [PROBE]: { driver } } }));
  const argv = selfScriptArgv('cli/bin.ts', [
    'bench', '--config', config, '--subjects', PROBE, '--sizes', String(settings.sizeBytes), '--modes', settings.mode,
    '--samples', String(settings.samples), '--trace-writes', '0', '--profile', 'quick', '--out', dir,
  ]);
  const result = await runProcess(argv, { timeoutMs: 15 * 60_000, env: { CI: '1' } });
  if (result.exitCode !== 0) {
    const why = result.spawnError ?? `${result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    if (result.exitCode === 2) throw new InputError(`validate-gate: bench refused the run: ${why}`);
    throw new Error(`validate-gate: bench run ${label} failed (${why})`);
  }
  return readResultsCsv(path.join(dir, 'results_raw.csv'));
}

/** The driver's round trip as the bench calibrated it in these runs (median; 0 when none was recorded). */
function transportOverhead(rows: readonly ResultRow[]): number {
  const values = rows.filter((r) => r.metric === METRICS.spawnOverhead && r.subject === PROBE && r.value !== null).map((r) => r.value as number);
  return values.length ? percentile(values, 50) : 0;
}

function probeP50(rows: readonly ResultRow[], key: SeriesKey): number {
  const figure = rows.find((row) => row.metric === METRICS.latencyP50 && row.sample === null && row.subject === PROBE && row.mode === key.mode && row.size_bytes === key.size_bytes);
  if (!figure || figure.value === null) throw new Error(`validate-gate: the calibration run has no ${PROBE} p50 for ${key.mode} ${key.size_bytes} B`);
  return figure.value;
}

/** The command that reproduces these figures, with every default spelled out. */
export function commandLine(settings: Settings): string {
  return [
    'writegate validate-gate',
    `--subject ${settings.subject}`,
    `--size ${settings.sizeBytes}`,
    `--mode ${settings.mode}`,
    `-k ${settings.rounds}`,
    `--rounds ${settings.runsPerArm}`,
    `--effect ${settings.effect}`,
    `--inject ${settings.inject}`,
    `--samples ${settings.samples}`,
    ...(settings.policyFile ? [`--regression-policy ${settings.policyFile}`] : []),
    ...(settings.multiplicity !== 'bonferroni' ? [`--multiplicity ${settings.multiplicity}`] : []),
  ].join(' ');
}

function pct(n: number): string {
  return Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : 'n/a';
}

function row(c: ProbeComparison): string {
  const ci = c.lower === null || c.upper === null ? '' : ` (${percentChange(c.lower)}..${percentChange(c.upper)})`;
  return `${c.ratio === null ? 'n/a' : percentChange(c.ratio)}${ci} ${c.status}`;
}

interface Context {
  command: string;
  settings: Settings;
  injected: string;
  calibratedP50: number;
  machine: string;
  loadStart: number[];
  loadEnd: number[];
  minutes: number;
  measuredEffect: number;
}

export function renderValidation(tally: ValidationTally, context: Context): string {
  const met = targetsMet(tally);
  const k = tally.rounds;
  const needed = Math.ceil(0.95 * k);
  const label = keyLabel(probeKey(context.settings), { label: 'p50' });
  const lines = [
    '# validate-gate: the regression gate measured on itself',
    '',
    `\`${context.command}\``,
    '',
    `${k} comparisons of three arms (base, base again, slowed), each arm ${context.settings.runsPerArm} interleaved bench run(s), every run its own process, order rotated; each comparison is the PR gate's \`--baseline\` rule on the pooled runs. Probe: built-in \`${context.settings.subject}\` behind the JSON-lines driver transport, ${label.replace(/ · p50$/, '')}, ${context.settings.samples} samples per run. Injected: ${context.injected}.`,
    '',
    '| Figure | Result | Target |',
    '|---|--:|--:|',
    `| A/A comparisons the gate failed | **${tally.aa.gateFalseAlarms} / ${k}** | 0 ${met.falseAlarms ? '✅' : '❌'} |`,
    `| Detections of the slowed probe (p50) | **${tally.detection.detected} / ${k}** | ≥ ${needed} ${met.detections ? '✅' : '❌'} |`,
    `| Gated series called regressions in A/A runs | ${tally.aa.seriesFalseAlarms} / ${tally.aa.seriesCompared} | 0 |`,
    `| Probe comparisons too noisy to judge (A/A, slowed) | ${tally.aa.tooNoisy}, ${tally.detection.tooNoisy} | |`,
    `| Unchanged series called regressions in slowed runs | ${tally.detection.otherFalseAlarms} / ${tally.detection.otherCompared} | 0 |`,
    `| Measured effect of the injection (median ratio) | ${percentChange(context.measuredEffect)} | |`,
    '',
    `Mann-Whitney U on the same samples (one-sided p < ${tally.mannWhitney.alpha}): A/A false alarms ${tally.mannWhitney.aaFalseAlarms} / ${k}, detections ${tally.mannWhitney.detections} / ${k}; with the ${Math.round(0.1 * 100)}% minimum effect added: ${tally.mannWhitney.aaFalseAlarmsWithMinEffect} / ${k} and ${tally.mannWhitney.detectionsWithMinEffect} / ${k}.`,
    '',
    `Noise of the probe: within-run CV median ${pct(tally.noise.withinRunCvMedian)} (max ${pct(tally.noise.withinRunCvMax)}); run-to-run CV of its p50 ${pct(tally.noise.runToRunCv)}.`,
    `Machine: \`${context.machine}\`; load average (1/5/15 min) ${context.loadStart.map((n) => n.toFixed(2)).join('/')} at the start, ${context.loadEnd.map((n) => n.toFixed(2)).join('/')} at the end; ${context.minutes.toFixed(1)} min.`,
  ];
  if (Object.keys(tally.aa.bySeries).length) {
    lines.push('', 'False alarms by series: ' + Object.entries(tally.aa.bySeries).map(([series, n]) => `${series} ×${n}`).join(', ') + '.');
  }
  lines.push('', '<details><summary>Every round (probe p50, ratio to base with 95% CI)</summary>', '', '| Round | A/A | Slowed | MWU p A/A | MWU p slowed |', '|--:|---|---|--:|--:|');
  tally.aa.probe.forEach((aa, i) => {
    const slowed = tally.detection.probe[i] as ProbeComparison;
    lines.push(`| ${aa.round} | ${row(aa)} | ${row(slowed)} | ${formatFigure(aa.mannWhitneyP)} | ${formatFigure(slowed.mannWhitneyP)} |`);
  });
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** Scores the rounds, writes validate-gate.md and .json into the out dir; the exit code. */
function score(rounds: readonly ValidationRound[], settings: Settings, context: Omit<Context, 'measuredEffect'>, extra: Record<string, unknown> = {}): number {
  const policies = loadPolicies(settings.policyFile);
  const tally = tallyValidation(rounds, probeKey(settings), policies, { multiplicity: settings.multiplicity });
  const ratios = tally.detection.probe.map((c) => c.ratio).filter((r): r is number => r !== null).sort((a, b) => a - b);
  const full: Context = { ...context, measuredEffect: ratios.length ? (ratios[Math.floor((ratios.length - 1) / 2)] as number) : Number.NaN };
  const markdown = renderValidation(tally, full);
  fs.mkdirSync(settings.outDir, { recursive: true });
  writeFileAtomicSync(path.join(settings.outDir, 'validate-gate.md'), markdown);
  const met = targetsMet(tally);
  const json = {
    command: context.command,
    settings: { ...settings, outDir: undefined },
    injected: context.injected,
    calibrated_p50_ms: context.calibratedP50,
    machine_class: context.machine,
    load_start: context.loadStart,
    load_end: context.loadEnd,
    minutes: context.minutes,
    ...extra,
    targets_met: met,
    tally,
  };
  writeFileAtomicSync(path.join(settings.outDir, 'validate-gate.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (settings.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stderr.write(`\n${markdown.split('<details>')[0]}report: ${path.join(settings.outDir, 'validate-gate.md')}\n`);
  return met.falseAlarms && met.detections ? 0 : 1;
}

const ARMS: readonly Arm[] = ['base', 'again', 'slowed'];
/** How many recent comparisons steer the spin factor. */
const STEERING_WINDOW = 5;
const runFile = (outDir: string, comparison: number, arm: Arm) => path.join(outDir, 'runs', `c${String(comparison).padStart(3, '0')}-${arm}.csv`);

async function validateGate(settings: Settings, command: string): Promise<number> {
  const policies = loadPolicies(settings.policyFile);
  const key = probeKey(settings);
  const started = Date.now();
  const loadStart = os.loadavg();
  const log = (line: string) => process.stderr.write(`validate-gate: ${line}\n`);
  const workspace = Workspace.create('writegate-validate-');
  // From source, a driver start pays for the tsx loader; bundle it once so each run starts plain node.
  const forgetBundles = await bundleSelfScripts(workspace.dir('bundles'), [DRIVER]);
  try {
    log(`calibrating ${settings.subject} ${settings.mode} ${settings.sizeBytes} B behind the driver`);
    const calibration = await benchRun(settings, workspace, 'calibration', []);
    const calibratedP50 = probeP50(calibration, key);
    // The slowdown follows the load write by write (slowed-driver.ts): each write spins for `effect` ×
    // (its own time + the driver round trip), so the probe is `effect` slower as the bench sees it in a
    // quiet minute and in a busy one alike. The round trip follows the load too: each comparison uses
    // the one its predecessor's base runs measured.
    let overheadMs = transportOverhead(calibration);
    // A wait of effect × the write's time lands as more than `effect` on a busy machine (waking up
    // costs too), so the factor is steered. Each comparison shows how much slowdown a unit of factor
    // gave (slowed p50 / base p50 − 1, divided by the factor it ran with); the next factor is the
    // target over the median of the last STEERING_WINDOW of those. A median, not the last one:
    // steering on one comparison chases its noise (a +34% draw pushed a later comparison down to
    // +12%). The recent ones, not all: the machine drifts (base p50 fell from 1.4 to 1.0 ms within
    // one run, and the gain with it), and a median of all kept the injection at +21%. The comparison
    // that is judged always ran with a factor fixed before its runs.
    let factor = settings.effect;
    const gains: number[] = [];
    const injected = settings.inject === 'spin' ? `every write of the probe +${Math.round(settings.effect * 100)}% as the bench sees it: a wait after each write of a factor × (its own time + the driver round trip), the factor steered toward a measured +${Math.round(settings.effect * 100)}% between comparisons` : 'one extra fsync of the target per write';
    log(`p50 ${formatFigure(calibratedP50)} ms; injecting ${injected}`);
    // Every run is kept under <out>/runs, so the figures can be re-scored (--rescore) without re-measuring.
    fs.rmSync(path.join(settings.outDir, 'runs'), { recursive: true, force: true });
    fs.mkdirSync(path.join(settings.outDir, 'runs'), { recursive: true });
    const rounds: ValidationRound[] = [];
    let order = 0;
    for (let i = 0; i < settings.rounds; i++) {
      const slowArgs = settings.inject === 'spin' ? ['--slowdown', factor.toFixed(4), '--overhead-ms', overheadMs.toFixed(4)] : ['--extra-fsync'];
      const arms: Record<Arm, ResultRow[]> = { base: [], again: [], slowed: [] };
      for (let r = 0; r < settings.runsPerArm; r++) {
        for (const arm of ORDERS[order++ % ORDERS.length] as readonly Arm[]) {
          arms[arm].push(...(await benchRun(settings, workspace, `c${i + 1}-r${r + 1}-${arm}`, arm === 'slowed' ? slowArgs : [])));
        }
      }
      for (const arm of ARMS) writeFileAtomicSync(runFile(settings.outDir, i + 1, arm), rowsToCsv(arms[arm]));
      rounds.push(arms);
      overheadMs = transportOverhead(arms.base) || overheadMs;
      const [aa, slowed] = [arms.again, arms.slowed].map((head) => compareBaseline(arms.base, head, policies, { multiplicity: settings.multiplicity })).map((findings) => findings.find((f) => f.id === keyId(key)));
      if (settings.inject === 'spin' && slowed?.ratio) {
        gains.push((slowed.ratio - 1) / factor);
        const gain = percentile(gains.slice(-STEERING_WINDOW), 50);
        if (gain > 0) factor = Math.min(4 * settings.effect, Math.max(settings.effect / 4, settings.effect / gain));
      }
      log(`comparison ${i + 1}/${settings.rounds}: A/A ${aa?.ratio ? percentChange(aa.ratio) : 'n/a'} ${aa?.status ?? ''}, slowed ${slowed?.ratio ? percentChange(slowed.ratio) : 'n/a'} ${slowed?.status ?? ''} (base p50 ${formatFigure(aa?.reference)} ms${settings.inject === 'spin' ? `, factor ${slowArgs[1]}` : ''})`);
    }
    const env = envFromRows(calibration).values().next().value;
    return score(rounds, settings, {
      command,
      settings,
      injected,
      calibratedP50,
      machine: env?.machine_class ?? 'unknown',
      loadStart,
      loadEnd: os.loadavg(),
      minutes: (Date.now() - started) / 60_000,
    });
  } finally {
    forgetBundles();
    await workspace.dispose();
  }
}

const savedSchema = z.object({
  command: z.string(),
  settings: z.object({ subject: z.string(), sizeBytes: z.number(), mode: z.string(), rounds: z.number(), runsPerArm: z.number(), effect: z.number(), inject: z.enum(['spin', 'fsync']), samples: z.number() }),
  injected: z.string(),
  calibrated_p50_ms: z.number(),
  machine_class: z.string(),
  load_start: z.array(z.number()),
  load_end: z.array(z.number()),
  minutes: z.number(),
});

/** --rescore DIR: the runs an earlier validate-gate kept, judged again by today's rule and policy file. */
function firstRuns(rows: readonly ResultRow[], count: number | undefined): ResultRow[] {
  if (count === undefined) return [...rows];
  const keep = new Set([...new Set(rows.filter((row) => row.suite !== 'env').map((row) => row.run_id))].sort().slice(0, count));
  return rows.filter((row) => keep.has(row.run_id));
}

function rescore(dir: string, flags: Pick<Settings, 'outDir' | 'policyFile' | 'multiplicity' | 'json'>, runsPerArm?: number): number {
  const saved = parseJsonFile(path.join(dir, 'validate-gate.json'), savedSchema);
  const settings: Settings = { ...saved.settings, outDir: flags.outDir, policyFile: flags.policyFile, multiplicity: flags.multiplicity, json: flags.json };
  const rounds: ValidationRound[] = [];
  for (let i = 1; fs.existsSync(runFile(dir, i, 'base')); i++) {
    const [base, again, slowed] = ARMS.map((arm) => firstRuns(readResultsCsv(runFile(dir, i, arm)), runsPerArm));
    rounds.push({ base: base as ResultRow[], again: again as ResultRow[], slowed: slowed as ResultRow[] });
  }
  if (rounds.length === 0) throw new InputError(`--rescore: ${path.join(dir, 'runs')} holds no kept runs`);
  settings.rounds = rounds.length;
  if (runsPerArm !== undefined) settings.runsPerArm = Math.min(runsPerArm, saved.settings.runsPerArm);
  return score(rounds, settings, {
    command: `${saved.command} (re-scored with --rescore ${dir}${runsPerArm !== undefined ? ` --rescore-runs ${runsPerArm}` : ''}${flags.policyFile ? ` --regression-policy ${flags.policyFile}` : ''}${flags.multiplicity !== 'bonferroni' ? ` --multiplicity ${flags.multiplicity}` : ''})`,
    settings,
    injected: saved.injected,
    calibratedP50: saved.calibrated_p50_ms,
    machine: saved.machine_class,
    loadStart: saved.load_start,
    loadEnd: saved.load_end,
    minutes: saved.minutes,
  }, { rescored_from: dir });
}

export function registerValidateGateCommand(program: Command): void {
  program
    .command('validate-gate')
    .description('measure the regression gate itself: K A/A comparisons on this commit (false alarms), K with a known slowdown (detections)')
    .option('--subject <name>', 'built-in writer behind the probe driver', 'reference')
    .option('--size <size>', 'payload size', '1KiB')
    .option('--mode <mode>', `write mode (${WRITE_MODES.join(', ')})`, 'durable')
    .option('-k, --comparisons <n>', 'A/A comparisons, and as many with the slowdown', '20')
    .option('--rounds <n>', 'interleaved bench runs per arm in each comparison, as the PR workflow runs base and head (20 × 20 × 3 runs: about 25 minutes here; -k 5 for a quick look)', '20')
    .option('--effect <fraction>', 'injected slowdown (spin): every probe write takes this fraction longer, as the bench sees it', '0.25')
    .addOption(new Option('--inject <how>', 'spin: wait effect × (the write\'s own time + the driver round trip) after each write; fsync: one extra fsync per write').choices(['spin', 'fsync']).default('spin'))
    .option('--samples <n>', 'timed samples per bench run', '100')
    .option('--out <dir>', 'where validate-gate.md and validate-gate.json go', 'results/validate-gate')
    .option('--regression-policy <file>', 'per-metric minimum effects (JSON; see README)')
    .addOption(new Option('--multiplicity <how>', "bonferroni: a comparison's gated timing series judged as one family at 95% (the gate's rule); none: each at 95% alone, to measure what the correction buys").choices(['bonferroni', 'none']).default('bonferroni'))
    .option('--rescore <dir>', 'judge the runs an earlier validate-gate kept in <dir>/runs again (no measuring)')
    .option('--rescore-runs <n>', 'with --rescore: only the first n runs of each arm')
    .option('--json', 'print the figures as JSON on stdout', false)
    .action(async (flags: ValidateFlags) => {
      const settings = parseSettings(flags);
      if (flags.rescore) {
        process.exitCode = rescore(path.resolve(flags.rescore), settings, flags.rescoreRuns === undefined ? undefined : Math.max(1, parseNonNegativeInt(flags.rescoreRuns, '--rescore-runs')));
        return;
      }
      process.exitCode = await validateGate(settings, commandLine(settings));
    });
}
