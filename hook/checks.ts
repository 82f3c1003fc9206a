import { summarize } from '../core/stats.js';
import type { CommandClass } from './classify/index.js';
import type { HookCase } from './cases.js';
import { sameAnswer, type HookAnswer } from './protocol.js';
import { rewriteShape, type RewriteShape } from './rewrite-shape.js';

/** What one case came to over its calls. A fault counts when any of its calls shows it. */
export interface CaseVerdict {
  hookCase: HookCase;
  /** One per call, in run order. */
  answers: readonly HookAnswer[];
  rewritten: boolean;
  blocked: boolean;
  invalid: boolean;
  /** Every call gave the same answer; undefined when the case was sent once (nothing to compare). */
  deterministic: boolean | undefined;
  /** A rewrite that put a wrapper in front of the command(s): judged word by word. */
  prefixed: boolean;
  /** Set when `prefixed`: every original word survived in order in every such rewrite. */
  argsPreserved: boolean;
  /** The original words a prefixed rewrite lost. */
  lost: readonly string[];
  /** A rewrite that replaced the program itself: counted and listed, not judged. */
  translated: boolean;
  /** The wrapper prefixes its rewrites used, e.g. `mytool git`. */
  prefixes: readonly string[];
}

export function judgeCase(hookCase: HookCase, answers: readonly HookAnswer[]): CaseVerdict {
  const rewrites = answers.filter(
    (answer): answer is Extract<HookAnswer, { kind: 'rewritten' }> => answer.kind === 'rewritten',
  );
  const shapes: RewriteShape[] = rewrites.map((answer) => rewriteShape(hookCase.command, answer.command));
  const prefixedShapes = shapes.filter(
    (shape): shape is Extract<RewriteShape, { kind: 'prefixed' }> => shape.kind === 'prefixed',
  );
  const lost = [...new Set(prefixedShapes.flatMap((shape) => shape.lost))];
  const first = answers[0];
  return {
    hookCase,
    answers,
    rewritten: rewrites.length > 0,
    blocked: answers.some((answer) => answer.kind === 'blocked'),
    invalid: answers.some((answer) => answer.kind === 'invalid'),
    deterministic:
      first === undefined || answers.length < 2 ? undefined : answers.every((answer) => sameAnswer(answer, first)),
    prefixed: prefixedShapes.length > 0,
    argsPreserved: lost.length === 0,
    lost,
    translated: shapes.some((shape) => shape.kind === 'translated'),
    prefixes: [...new Set(prefixedShapes.flatMap((shape) => shape.prefixes))],
  };
}

/** k of n, with the rate left out when n is 0 (no case of that kind ran: nothing to say). */
export interface Ratio {
  count: number;
  of: number;
  rate: number | null;
}

function ratio(count: number, of: number): Ratio {
  return { count, of, rate: of === 0 ? null : count / of };
}

/** One hook in one env set, over every case. */
export interface PolicyFigures {
  cases: number;
  calls: number;
  rewriteRate: Record<CommandClass, Ratio>;
  argsPreserved: Ratio;
  translated: number;
  invalid: Ratio;
  blocked: Ratio;
  deterministic: Ratio;
  /** From the latency pass (one call at a time). */
  latency: { p50: number; p95: number; n: number };
  /** Each wrapper prefix and the cases that were rewritten to it. */
  prefixes: ReadonlyMap<string, number>;
}

export function policyFigures(
  verdicts: readonly CaseVerdict[],
  calls: number,
  durationsMs: readonly number[],
): PolicyFigures {
  const ofClass = (cls: CommandClass) => verdicts.filter((verdict) => verdict.hookCase.class === cls);
  const rewriteRate = Object.fromEntries(
    (['read_only', 'mutating', 'unknown'] as const).map((cls) => [
      cls,
      ratio(ofClass(cls).filter((verdict) => verdict.rewritten).length, ofClass(cls).length),
    ]),
  ) as Record<CommandClass, Ratio>;
  const prefixed = verdicts.filter((verdict) => verdict.prefixed);
  const prefixes = new Map<string, number>();
  for (const verdict of verdicts)
    for (const prefix of verdict.prefixes) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
  const latency = summarize(durationsMs);
  return {
    cases: verdicts.length,
    calls,
    rewriteRate,
    argsPreserved: ratio(prefixed.filter((verdict) => verdict.argsPreserved).length, prefixed.length),
    translated: verdicts.filter((verdict) => verdict.translated).length,
    invalid: ratio(verdicts.filter((verdict) => verdict.invalid).length, verdicts.length),
    blocked: ratio(verdicts.filter((verdict) => verdict.blocked).length, verdicts.length),
    deterministic: ratio(
      verdicts.filter((verdict) => verdict.deterministic === true).length,
      verdicts.filter((verdict) => verdict.deterministic !== undefined).length,
    ),
    latency: { p50: latency.p50, p95: latency.p95, n: latency.n },
    prefixes,
  };
}
