import path from 'node:path';
import { FAMILIES } from '../../core/trace/syscalls.js';
import { locate, missReason, type HitExpectation, type PointId } from './points.js';
import { describeCall, filesOf, narrowWritePath, rootTid, type PathCall, type WritePath } from './write-path.js';

/** One `-e inject=SYSCALL:...:when=N` term. */
export interface InjectTerm {
  syscall: string;
  when: number;
}

/**
 * How to hit one point: an inject term for every spelling of the call's family that can safely be
 * named, each counted the way strace counts (per thread, per syscall, only calls that pass the
 * trace and -P filters), plus the filters that make the count reproducible.
 */
export interface Aim {
  point: PointId;
  terms: InjectTerm[];
  /**
   * strace -P paths, relative to the trial's directory ('.' is the directory itself); empty means
   * every traced call counts. Relative because each trial runs in a fresh directory: a name is
   * stable when it was the same in two recordings made in two different directories.
   */
  paths: string[];
  /**
   * strace -f. Without it only the subject's own first process is traced (and counted): what aims
   * at the interpreter behind a version-manager shim, which execs it in the same process while its
   * helper subprocesses make the same calls.
   */
  follow: boolean;
  /** In words, for the report: "fdatasync #1 of its thread, counting only calls on .t.tmp". */
  basis: string;
}

export type AimResult =
  | { kind: 'aimed'; aim: Aim; caveat?: string }
  | { kind: 'not_applicable'; reason: string }
  | { kind: 'unaimable'; reason: string };

interface Strategy {
  paths: string[];
  follow: boolean;
}

/** Whether strace -P `paths` lets this call through (strace 6 checks fds and the first path only). */
export function matchesPaths(pc: PathCall, paths: readonly string[]): boolean {
  if (paths.length === 0) return true;
  const candidates = pc.family === 'rename' ? pc.paths.slice(0, 1) : pc.paths;
  if (candidates.some((file) => paths.includes(file))) return true;
  return pc.fdPath !== undefined && paths.includes(pc.fdPath);
}

/**
 * Replays strace's counters over a trace: the first call (in trace order) that is the `when`-th of
 * its syscall in its own thread. The calls must be those strace counted (its own output, or a
 * recording narrowed the same way). That is where strace injects.
 */
export function firstFired(calls: readonly PathCall[], terms: readonly InjectTerm[]): PathCall | undefined {
  const counts = new Map<string, number>();
  for (const pc of calls) {
    const term = terms.find((t) => t.syscall === pc.call.name);
    if (!term) continue;
    const key = `${pc.call.tid}:${pc.call.name}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n === term.when) return pc;
  }
  return undefined;
}

/** Relative aim paths ('.' or a name) made absolute in a trial's directory. */
export function absolutePaths(model: Pick<WritePath, 'dir'>, paths: readonly string[]): string[] {
  return paths.map((rel) => (rel === '.' ? model.dir : path.join(model.dir, rel)));
}

/** A recording as strace would see it under a strategy: only the root process, only calls on -P paths. */
function seenBy(model: WritePath, strategy: Strategy): WritePath {
  if (strategy.follow && strategy.paths.length === 0) return model;
  const root = rootTid(model);
  const paths = absolutePaths(model, strategy.paths);
  return narrowWritePath(model, (pc) => (strategy.follow || pc.call.tid === root) && matchesPaths(pc, paths));
}

/** The `when` that makes `syscall` fire at `x`'s position in its thread, among `calls`. */
function whenFor(calls: readonly PathCall[], x: PathCall, syscall: string): number {
  return (
    calls.filter((pc) => pc.call.tid === x.call.tid && pc.call.name === syscall && pc.call.seq < x.call.seq).length + 1
  );
}

/** Whether these terms fire first at a call that counts as `point` in a (narrowed) recording. */
function hitsOn(model: WritePath, point: PointId, terms: readonly InjectTerm[], expect: HitExpectation): boolean {
  const fired = firstFired(model.calls, terms);
  return fired !== undefined && missReason(model, fired, point, expect) === undefined;
}

/**
 * Terms for `x`: its own syscall, plus every other spelling of its family that, counted from x's
 * position in its thread, still fires first at the point in every recording (so a run that spells
 * the step differently is still caught). A spelling that would fire earlier elsewhere, e.g. the main
 * thread's first write() when x is a pool thread's first pwrite64(), is left out.
 */
function familyTerms(x: PathCall, views: readonly WritePath[], point: PointId, expect: HitExpectation): InjectTerm[] {
  const first = views[0] as WritePath;
  const terms: InjectTerm[] = [{ syscall: x.call.name, when: whenFor(first.calls, x, x.call.name) }];
  const names: readonly string[] = x.family ? FAMILIES[x.family] : [];
  for (const syscall of names) {
    if (syscall === x.call.name) continue;
    const candidate = [...terms, { syscall, when: whenFor(first.calls, x, syscall) }];
    if (views.every((view) => hitsOn(view, point, candidate, expect))) terms.push(candidate.at(-1) as InjectTerm);
  }
  return terms;
}

/** The file a point's call is about, relative to the target's directory: what -P would name. */
function roleFile(model: WritePath, pc: PathCall): string | undefined {
  const file = pc.fdPath ?? pc.paths[0];
  if (file === undefined) return undefined;
  if (file === model.dir) return '.';
  return path.dirname(file) === model.dir ? path.basename(file) : undefined;
}

function describe(terms: readonly InjectTerm[], strategy: Strategy): string {
  const own = terms[0] as InjectTerm;
  const others = terms.slice(1).map((t) => t.syscall);
  const scope = strategy.follow ? 'of its thread' : "of the subject's own process (children not traced)";
  const narrowed = strategy.paths.length ? `, counting only calls on ${strategy.paths.join(' ')}` : '';
  return `${own.syscall} #${own.when} ${scope}${narrowed}${others.length ? ` (also ${others.join(', ')})` : ''}`;
}

/**
 * Aims at `point` from two fault-free recordings of the same write, made in two directories. Tried
 * in order, the first that hits the point in both recordings wins:
 *  1. thread-local counts over everything traced;
 *  2. only the subject's own process (no -f), when the call is made by it: shims and wrappers that
 *     exec the real program keep its process, while their helpers would reach the same counts;
 *  3. only calls on the call's file (-P), when that file has the same name in both runs (the
 *     target, the directory, a fixed temp name).
 * What stays unstable is reported; every trial is still checked against its own trace.
 */
export function aimAt(
  point: PointId,
  first: WritePath,
  second: WritePath | undefined,
  expect: HitExpectation,
): AimResult {
  const located = locate(first, point);
  if (!('call' in located)) return { kind: 'not_applicable', reason: located.reason };
  const x = located.call;
  const recordings = second ? [first, second] : [first];
  const file = roleFile(first, x);
  const secondLocated = second ? locate(second, point) : undefined;
  const secondFile =
    second && secondLocated && 'call' in secondLocated ? roleFile(second, secondLocated.call) : undefined;
  const stableFile =
    file !== undefined &&
    (file === '.' || path.join(first.dir, file) === first.target || (second !== undefined && secondFile === file));

  const strategies: Strategy[] = [{ follow: true, paths: [] }];
  if (x.call.tid === rootTid(first)) strategies.push({ follow: false, paths: [] });
  if (stableFile) {
    // When x's thread also makes calls of its family on other files (an event loop's eventfd
    // writes between a threadpool's payload writes), a count over everything depends on timing:
    // two recordings may agree by chance and a trial not. Counting only calls on the file does not.
    const outside = (model: WritePath, pc: PathCall): boolean =>
      !filesOf(pc).some(
        (f) =>
          f === model.dir ||
          f === model.tmpDir ||
          path.dirname(f) === model.dir ||
          (model.tmpDir !== undefined && path.dirname(f) === model.tmpDir),
      );
    const noisy = recordings.some((model) =>
      model.calls.some((pc) => pc.call.tid === x.call.tid && pc.family === x.family && outside(model, pc)),
    );
    if (noisy) strategies.unshift({ follow: true, paths: [file] });
    else strategies.push({ follow: true, paths: [file] });
  }

  let fallback: { terms: InjectTerm[]; strategy: Strategy } | undefined;
  for (const strategy of strategies) {
    const views = recordings.map((model) => seenBy(model, strategy));
    const terms = familyTerms(x, views, point, expect);
    const hits = views.map((view) => hitsOn(view, point, terms, expect));
    const aim: Aim = { point, terms, paths: strategy.paths, follow: strategy.follow, basis: describe(terms, strategy) };
    if (hits.every(Boolean)) return { kind: 'aimed', aim };
    if (hits[0] && !fallback) fallback = { terms, strategy };
  }
  if (fallback) {
    const aim: Aim = {
      point,
      terms: fallback.terms,
      paths: fallback.strategy.paths,
      follow: fallback.strategy.follow,
      basis: describe(fallback.terms, fallback.strategy),
    };
    return {
      kind: 'aimed',
      aim,
      caveat:
        `the count differed between the two recordings (the ${x.call.name} count ` +
        `of its thread varies${stableFile ? '' : ' and the file name changes per run'})`,
    };
  }
  const plain = familyTerms(x, [first], point, expect);
  const early = firstFired(first.calls, plain);
  const rival = early ? describeCall(early, first) : 'another call';
  const otherProcess = x.call.tid === rootTid(first) ? '' : ' in a process other than the subject’s own';
  const fileNote = stableFile ? '' : ', and the file name changes per run so -P cannot narrow the count';
  return {
    kind: 'unaimable',
    reason:
      `${describeCall(x, first)} is ${x.call.name} #${plain[0]?.when ?? '?'} of its thread, ` +
      `but ${rival} reaches that count first${otherProcess}${fileNote}`,
  };
}

/**
 * strace arguments for an aim: -f or not, -P paths, and one `-e inject=` per term. SIGSTOP stops
 * the writer right after the aimed call returns (a stop, unlike a kill, lets the call run), so a
 * harness can hold several writers at that point and release them when it chooses.
 */
export function injectArgs(
  aim: Aim,
  dir: string,
  action: { signal: 'SIGKILL' | 'SIGSTOP' } | { error: string; persistent?: boolean },
): string[] {
  const what = 'signal' in action ? `signal=${action.signal}` : `error=${action.error}`;
  // `when=N+` keeps failing every later call of that spelling in that thread: a persistent condition.
  const from = 'error' in action && action.persistent ? '+' : '';
  const args: string[] = aim.follow ? ['-f'] : [];
  for (const file of absolutePaths({ dir }, aim.paths)) args.push('-P', file);
  for (const term of aim.terms) args.push('-e', `inject=?${term.syscall}:${what}:when=${term.when}${from}`);
  return args;
}

/** What trials must match, from two fault-free recordings made in two different directories. */
export function expectationFrom(first: WritePath, second: WritePath | undefined, payloadBytes: number): HitExpectation {
  // Relative to the target's directory, so a fixed name in $TMPDIR (`../tmp/x`) is stable too.
  const nameIn = (model: WritePath | undefined): string | undefined => {
    // An anonymous file (O_TMPFILE) has no name to be stable: strace shows its inode number.
    if (model?.dataPath === undefined || model.createOpen?.anonymous) return undefined;
    const parent = path.dirname(model.dataPath);
    return parent === model.dir || parent === model.tmpDir ? path.relative(model.dir, model.dataPath) : undefined;
  };
  const name = nameIn(first);
  const stable = name !== undefined && (first.inPlace || (second !== undefined && nameIn(second) === name));
  return { inPlace: first.inPlace, payloadBytes, ...(stable ? { stableDataName: name } : {}) };
}
