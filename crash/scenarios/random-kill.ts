import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { killGroup } from '../../core/process.js';
import { seededRandom } from '../../core/rng.js';
import { percentile } from '../../core/stats.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { Content } from '../contents.js';
import type { CrashRun } from '../context.js';
import { runOneShot, type OneShotRun } from '../one-shot.js';
import { TrialDir } from '../sandbox.js';
import { checkRandomKill } from '../checks.js';
import { recover } from './recovery.js';

interface TimedWrite {
  shot: OneShotRun;
  /** ms from the first change in the target's directory to the writer's exit; undefined without one. */
  windowMs?: number;
  /** The harness's kill was sent before the writer exited. */
  killSent: boolean;
}

/**
 * Writes `content` with the subject while watching the trial directory; `killAfterMs` after the
 * first change there (the temp file appearing, the target being truncated) the writer's process
 * group gets SIGKILL. Anchoring on the directory's first change puts the kills inside the write
 * path instead of inside interpreter start-up, which is most of a one-shot's life.
 */
async function watchedWrite(
  subject: WriterSubject,
  trial: TrialDir,
  content: Content,
  killAfterMs?: number,
): Promise<TimedWrite> {
  let pid: number | undefined;
  let firstChange: number | undefined;
  let exited = false;
  let killSent = false;
  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(trial.dir, () => {
    if (firstChange !== undefined) return;
    firstChange = performance.now();
    if (killAfterMs === undefined) return;
    timer = setTimeout(() => {
      if (exited || pid === undefined) return;
      killSent = true;
      killGroup(pid, 'SIGKILL');
    }, killAfterMs);
  });
  try {
    const shot = await runOneShot({
      subject,
      source: content.source,
      target: trial.target,
      tmpDir: trial.tmp,
      onSpawn: (p) => (pid = p),
    });
    exited = true;
    const end = performance.now();
    return { shot, windowMs: firstChange === undefined ? undefined : end - firstChange, killSent };
  } finally {
    if (timer) clearTimeout(timer);
    watcher.close();
  }
}

/**
 * A seeded stress loop: The subject rewrites one target again and again with
 * distinct contents; the harness kills it at a random moment of its write window each time. After
 * every trial the target must be exactly the previous or the new content; a killed or failed write
 * is followed by a recovery write.
 */
export async function randomKill(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const random = seededRandom((run.ctx.seed * 7919) ^ hashName(subject.name) ^ size);
  let current = run.contents.get(size, 'old');
  const trial = TrialDir.create(run.trialDir(subject, 'random_kill'), current);
  const base = { subject: subject.name, scenario: 'random_kill' as const, size, engine: 'harness-kill' as const };

  // The write window, from two uninterrupted writes: kills are spread uniformly over its median.
  const windows: number[] = [];
  for (const label of ['rk-calibrate-1', 'rk-calibrate-2']) {
    const content = run.contents.get(size, label);
    const timed = await watchedWrite(subject, trial, content);
    if (timed.shot.reported === 'success' && timed.windowMs !== undefined) windows.push(timed.windowMs);
    if (trial.held(undefined, content).kind === 'new') current = content;
    trial.removeLeftovers(trial.leftovers());
  }
  if (windows.length === 0) {
    for (let i = 0; i < run.plan.randomKills; i++) {
      run.trials.add({
        ...base,
        step: `kill ${i + 1}`,
        fault: 'SIGKILL at a random moment',
        notReached:
          'no fault-free write succeeded with a visible change in the target directory, ' +
          'so there is no write window to aim into',
        held: '',
        reported: '',
        problems: [],
      });
    }
    trial.remove();
    return;
  }
  const window = percentile(windows, 50);

  for (let i = 1; i <= run.plan.randomKills; i++) {
    const next = run.contents.get(size, `rk-${i}`);
    const delay = random() * window;
    const timed = await watchedWrite(subject, trial, next, delay);
    const killed = checkRandomKill(trial.held(current, next), timed.shot, trial.leftovers());
    const recovery =
      timed.shot.reported === 'success' ? undefined : await recover(run, subject, trial, size, killed.leftovers);
    if (recovery && !recovery.recovered) killed.problems.push(`recovery_failed (${recovery.why})`);
    run.trials.add({
      ...base,
      step: `kill ${i}`,
      fault:
        `SIGKILL ${delay.toFixed(1)} ms after the first change in the directory ` +
        `(window ${window.toFixed(1)} ms)${killed.killLanded ? '' : ' — the write finished first'}`,
      ...killed.record,
      ...(recovery ? { recovered: recovery.recovered, staleAfterRecovery: recovery.stale } : {}),
    });
    // The next trial starts from what the target now holds, with the directory cleaned.
    trial.removeLeftovers(trial.leftovers());
    const now = trial.held(current, next, [run.contents.get(size, 'recovery')]);
    if (now.kind === 'new') current = next;
    else if (now.kind === 'other_known') current = run.contents.get(size, 'recovery');
    else if (now.kind !== 'old') {
      // Torn or gone even after recovery: put a known content back so later trials mean something.
      fs.writeFileSync(trial.target, current.bytes);
    }
    if (current !== next) run.contents.drop(next);
  }
  trial.remove();
}

function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return h;
}
