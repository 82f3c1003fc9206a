/** hook's domain types: what its plan, runner, checks and rows share (no module here imports upward). */
import type { HookCase } from './cases.js';
import type { FloorChoice, HookFloor } from './floor.js';

/** A hook under test: a command, run from argv (never through a shell), one process per call. */
export interface HookUnderTest {
  name: string;
  /** As configured, for reports. */
  template: string;
  /** The template split without a shell, its program resolved to a path. */
  argv: readonly string[];
}

/** The variables one run of the hooks adds to their environment; `default` adds none. */
export interface EnvSet {
  name: string;
  vars: Readonly<Record<string, string>>;
}

export interface HookCall {
  hook: HookUnderTest;
  envSet: EnvSet;
  hookCase: HookCase;
  /** 0, 1, …: the same input sent again, for determinism; -1 in the latency pass. */
  run: number;
  /**
   * In the latency pass: this call times the hook's floor (a no-op of its runtime, hook/floor.ts) instead of the hook.
   */
  floor?: HookFloor;
}

export interface HookSettings {
  auditFiles: readonly string[];
  timeoutMs: number;
  /** Calls in the latency pass, per hook × env set. */
  latencySamples: number;
  /** Send every command line of the corpus, whatever the profile. */
  everyCase: boolean;
}

/**
 * Every call a hook run makes: the judged calls (run callConcurrency() at once), then the timed ones, one at a time.
 */
export interface HookRunPlan {
  sets: EnvSet[];
  /** The cases sent a second time (determinism). */
  again: HookCase[];
  calls: HookCall[];
  /** The latency pass: each hook's calls interleaved with its floor's. */
  timed: HookCall[];
  /** Each hook's floor, or why it has none. */
  floors: ReadonlyMap<HookUnderTest, FloorChoice>;
}

/** What a run of the hook suite will do (Suite.plan): resolved and checked once, before anything runs. */
export interface HookPlan {
  settings: HookSettings;
  hooks: readonly HookUnderTest[];
  /** The corpus every hook is sent. */
  cases: readonly HookCase[];
  /** Every call to the hooks; absent when there is no hook (an audit only). */
  calls?: HookRunPlan;
}
