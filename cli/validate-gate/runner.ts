import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareBaseline } from '../../analyze/regression/compare-baseline.js';
import { formatFigure, percentChange } from '../../analyze/regression/format.js';
import { keyId } from '../../analyze/regression/keys.js';
import { loadPolicies } from '../../analyze/regression/policy.js';
import type { ValidationRound } from '../../analyze/regression/validation.js';
import { ARMS, keptRunFile, type Arm } from '../../analyze/regression/validation-kept.js';
import { probeKey } from '../../analyze/regression/validation-report.js';
import { rowsToCsv } from '../../core/csv.js';
import { CountedRun } from '../../core/progress.js';
import { envFromRows, type ResultRow } from '../../core/schema.js';
import { bundleSelfScripts } from '../../core/self-script-bundle.js';
import { Workspace } from '../../core/workspace.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';
import { benchRun, probeP50, PROBE_DRIVER, transportOverhead } from './bench-run.js';
import { scoreAndWrite } from './output.js';
import type { Settings } from './settings.js';
import { Steering } from './steering.js';

/** Every order of the three arms, used in turn, so no arm always runs first (warm caches) or last. */
const ORDERS: readonly (readonly Arm[])[] = [
  ['base', 'again', 'slowed'],
  ['slowed', 'base', 'again'],
  ['again', 'slowed', 'base'],
  ['base', 'slowed', 'again'],
  ['again', 'base', 'slowed'],
  ['slowed', 'again', 'base'],
];

/**
 * Calibrates the probe, runs the interleaved comparisons (keeping every run under <out>/runs), scores them; the exit
 * code.
 */
export async function validateGate(settings: Settings, command: string): Promise<number> {
  const policies = loadPolicies(settings.policyFile);
  const key = probeKey(settings);
  const started = Date.now();
  const loadStart = os.loadavg();
  const log = (line: string) => process.stderr.write(`validate-gate: ${line}\n`);
  const workspace = Workspace.create('writegate-validate-');
  // From source, a driver start and each bench run pay for the tsx loader; bundled once, each starts plain node.
  const forgetBundles = await bundleSelfScripts(workspace.dir('bundles'), [PROBE_DRIVER, 'cli/bin.ts']);
  try {
    log(`calibrating ${settings.subject} ${settings.mode} ${settings.sizeBytes} B behind the driver`);
    // The calibration run, then every arm of every comparison: each a bench process of about equal length.
    const runs = new CountedRun(1 + settings.rounds * settings.runsPerArm * ARMS.length, 'bench runs', log);
    const calibration = await benchRun(settings, workspace, 'calibration', []);
    runs.done();
    const calibratedP50 = probeP50(calibration, key);
    // The slowdown follows the load write by write (slowed-probe.ts): each write spins for `effect` ×
    // (its own time + the driver round trip), so the probe is `effect` slower as the bench sees it in a
    // quiet minute and in a busy one alike. The round trip follows the load too: each comparison uses
    // the one its predecessor's base runs measured.
    let overheadMs = transportOverhead(calibration);
    const steering = new Steering(settings.effect);
    const injected =
      settings.inject === 'spin'
        ? `every write of the probe +${Math.round(settings.effect * 100)}% as the ` +
          `bench sees it: a wait after each write of a factor × (its own time + the ` +
          `driver round trip), the factor steered toward a measured +${Math.round(settings.effect * 100)}% ` +
          `between comparisons`
        : 'one extra fsync of the target per write';
    log(`p50 ${formatFigure(calibratedP50)} ms; injecting ${injected}`);
    // Every run is kept under <out>/runs, so the figures can be re-scored (--rescore) without re-measuring.
    fs.rmSync(path.join(settings.outDir, 'runs'), { recursive: true, force: true });
    fs.mkdirSync(path.join(settings.outDir, 'runs'), { recursive: true });
    const rounds: ValidationRound[] = [];
    let order = 0;
    for (let i = 0; i < settings.rounds; i++) {
      const slowArgs =
        settings.inject === 'spin'
          ? ['--slowdown', steering.factor.toFixed(4), '--overhead-ms', overheadMs.toFixed(4)]
          : ['--extra-fsync'];
      const arms: Record<Arm, ResultRow[]> = { base: [], again: [], slowed: [] };
      for (let r = 0; r < settings.runsPerArm; r++) {
        for (const arm of ORDERS[order++ % ORDERS.length] as readonly Arm[]) {
          arms[arm].push(
            ...(await benchRun(settings, workspace, `c${i + 1}-r${r + 1}-${arm}`, arm === 'slowed' ? slowArgs : [])),
          );
          runs.done();
        }
      }
      for (const arm of ARMS) writeFileAtomicSync(keptRunFile(settings.outDir, i + 1, arm), rowsToCsv(arms[arm]));
      rounds.push(arms);
      overheadMs = transportOverhead(arms.base) || overheadMs;
      const [aa, slowed] = [arms.again, arms.slowed]
        .map((head) => compareBaseline(arms.base, head, policies, { multiplicity: settings.multiplicity }))
        .map((findings) => findings.find((f) => f.id === keyId(key)));
      if (settings.inject === 'spin' && slowed?.ratio) steering.observe(slowed.ratio);
      log(
        `comparison ${i + 1}/${settings.rounds}: ` +
          `A/A ${aa?.ratio ? percentChange(aa.ratio) : 'n/a'} ${aa?.status ?? ''}, ` +
          `slowed ${slowed?.ratio ? percentChange(slowed.ratio) : 'n/a'} ${slowed?.status ?? ''} ` +
          `(base p50 ${formatFigure(aa?.reference)} ms${settings.inject === 'spin' ? `, factor ${slowArgs[1]}` : ''})`,
      );
    }
    const env = envFromRows(calibration).values().next().value;
    return scoreAndWrite(rounds, settings, {
      command,
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
