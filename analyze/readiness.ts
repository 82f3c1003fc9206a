import { HOOK_DEFAULT_ENV_SET } from '../core/schema.js';
import { HOOK_POLICY_GATE_IDS } from './gates/hook.js';
import { suggestedWrapperName } from './sections/hook-prefixes.js';
import { hookSummarySchema, type HookSummary } from './sections/hook-summary.js';
import { paritySummarySchema } from './sections/parity-summary.js';
import type { GateResult } from './types.js';

export interface RewriteReadiness {
  go: boolean;
  /** The one line `writegate readiness` prints. */
  line: string;
  reasons: string[];
}

type Outcome = { gates: readonly GateResult[]; sections: Partial<Record<string, Record<string, unknown>>> };

const WHAT = 'mutating rewrite';

function shortList(items: readonly string[]): string {
  return items.length > 4 ? `${items.slice(0, 4).join(', ')}, … ${items.length - 4} more` : items.join(', ');
}

/**
 * Why each hook's default environment does not hold its policy gates (a hook that rewrote nothing has no arguments to
 * keep).
 */
function hookReasons(summary: HookSummary, gates: readonly GateResult[]): string[] {
  const reasons: string[] = [];
  for (const [hook, sets] of Object.entries(summary.hooks)) {
    const defaults = sets[HOOK_DEFAULT_ENV_SET];
    if (!defaults) {
      reasons.push(`${hook}: did not run in the default environment`);
      continue;
    }
    if (defaults.cases !== null && defaults.corpus_cases !== null && defaults.cases < defaults.corpus_cases) {
      reasons.push(
        `${hook}: only ${defaults.cases} of ${defaults.corpus_cases} command lines ` +
          `ran; readiness needs the whole corpus`,
      );
    }
    for (const id of HOOK_POLICY_GATE_IDS) {
      const mine = gates.filter(
        (gate) => gate.id === id && gate.subject === hook && gate.mode === HOOK_DEFAULT_ENV_SET,
      );
      if (mine.length === 0 && id !== 'hook.args_preserved') reasons.push(`${hook}: ${id} was not evaluated`);
      for (const gate of mine) {
        if (gate.status === 'pass' || (gate.status === 'no_data' && id === 'hook.args_preserved')) continue;
        const offenders = Object.values(defaults.offenders).flat();
        const why =
          gate.status === 'fail' ? `${gate.figureText}, needs ${gate.threshold}` : gate.status.replace('_', ' ');
        const offenderList =
          gate.status === 'fail' && offenders.length ? ` (${shortList([...new Set(offenders)])})` : '';
        reasons.push(`${hook}: ${gate.title} ${why}${offenderList}`);
      }
    }
  }
  return reasons;
}

/**
 * "Is it safe to turn on mutating rewrite for this hook?" — joined from one analysis of hook and parity
 * rows (the CSV alone; no suite runs here). GO only when every hook holds its policy gates in the
 * default environment (no mutating command rewritten, every word kept, valid and deterministic
 * answers) and every wrapper prefix it rewrites to, in any env set, was given to parity as a wrapper
 * and parity's readiness holds (each wrapper at 100%, the passthrough control sound, the whole
 * matrix run, native git as every case expects).
 */
export function rewriteReadiness(outcome: Outcome): RewriteReadiness {
  if (!outcome.sections.hook) return finish(['no hook policy results in the input (give --hook NAME=COMMAND)']);
  const parsed = hookSummarySchema.safeParse(outcome.sections.hook);
  if (!parsed.success) return finish(['the hook summary could not be read, so nothing is vouched for']);
  const summary = parsed.data;
  if (Object.keys(summary.hooks).length === 0)
    return finish(['no hook policy results in the input (give --hook NAME=COMMAND)']);
  const reasons = hookReasons(summary, outcome.gates);
  const prefixes = [...new Set(summary.prefixes.map((entry) => entry.prefix))];
  if (prefixes.length === 0)
    reasons.push('the hook rewrote no command to a wrapper in any env set, so there is nothing to vouch for');
  for (const prefix of prefixes) {
    const entries = summary.prefixes.filter((entry) => entry.prefix === prefix);
    if (entries.some((entry) => entry.parity_wrappers.length > 0)) continue;
    const where = [...new Set(entries.map((entry) => `${entry.hook} · ${entry.env_set}`))].join(', ');
    const hint = /(^|\/)git$/.test(prefix.split(' ').at(-1) ?? '')
      ? ''
      : ' (parity checks git wrappers: a prefix that does not end in git cannot pass it)';
    reasons.push(
      `wrapper prefix "${prefix}" (${where}) was not given to parity: add --wrapper ` +
        `'${suggestedWrapperName(prefix)}=${prefix}'${hint}`,
    );
  }
  const parity = parityReadiness(outcome);
  if (!parity.go) reasons.push(...parity.reasons.map((reason) => `parity: ${reason}`));
  reasons.push(...crashParityReasons(outcome));
  if (reasons.length) return finish(reasons);
  const latency = outcome.gates.filter((gate) => gate.id === 'hook.latency_p95');
  const slow = latency.filter((gate) => gate.status === 'fail').map((gate) => `${gate.instance} ${gate.figureText}`);
  // Latency never decides GO, but a budget that could not be judged here is said, not left silent.
  const noisy = latency
    .filter((gate) => gate.status === 'not_judged')
    .map((gate) => `${gate.instance}${gate.notJudged ? ` (${gate.notJudged})` : ''}`);
  const note =
    (slow.length ? `; note: over the latency budget (${gate0(outcome)}): ${slow.join(', ')}` : '') +
    (noisy.length
      ? `; note: latency not judged on this machine, measure it again on a quieter one: ${noisy.join(', ')}`
      : '');
  const joined = prefixes.map((prefix) => {
    const wrappers = summary.prefixes
      .filter((entry) => entry.prefix === prefix)
      .flatMap((entry) => entry.parity_wrappers);
    return `"${prefix}" as ${[...new Set(wrappers)].join(', ')}`;
  });
  return {
    go: true,
    reasons,
    line:
      `GO: safe to enable ${WHAT} for ${Object.keys(summary.hooks).join(', ')}: ` +
      `the default-environment policy gates hold, and every wrapper it rewrites ` +
      `to passed parity (${joined.join('; ')})${note}`,
  };
}

/**
 * With a crash checker for the wrapped commands (readiness --command), each wrapper parity vouches for
 * must also keep the commands as crash-safe as native git (crash.wrapper_crash_parity): a failure, a
 * verdict the run could not reach, or no verdict at all for a wrapper is a reason, never a GO.
 */
function crashParityReasons(outcome: Outcome): string[] {
  if (!outcome.sections.crash) return [];
  const gates = outcome.gates.filter((gate) => gate.id === 'crash.wrapper_crash_parity');
  const reasons = gates
    .filter((gate) => gate.status !== 'pass')
    .map((gate) => {
      const why = gate.status === 'fail' ? gate.figureText : (gate.notJudged ?? gate.status.replace('_', ' '));
      return `crash: ${gate.subject}: ${gate.title}: ${why}`;
    });
  const parsed = paritySummarySchema.safeParse(outcome.sections.parity);
  const wrappers = parsed.success
    ? Object.keys(parsed.data.wrappers).filter((name) => name !== parsed.data.control)
    : [];
  for (const wrapper of wrappers)
    if (!gates.some((gate) => gate.subject?.endsWith(`@${wrapper}`)))
      reasons.push(`crash: ${wrapper} has no crash-safety parity verdict (the wrapped commands were not judged)`);
  return reasons;
}

export interface ParityReadiness {
  go: boolean;
  /** The one line `writegate parity --readiness` prints. */
  line: string;
  reasons: string[];
}

/**
 * "Is it safe to enable rewriting of mutating git commands through the wrapper(s)?" — GO only when
 * every wrapper under test holds every parity gate (known differences accepted), the passthrough
 * control scored 100% (else the harness is unsound), native git behaved as every case expects, and
 * the whole matrix ran. Computed from an analysis restricted to (or including) parity.
 */
export function parityReadiness(outcome: Outcome): ParityReadiness {
  if (!outcome.sections.parity) return finishParity(['no parity results in the input'], []);
  const parsed = paritySummarySchema.safeParse(outcome.sections.parity);
  if (!parsed.success) return finishParity(['the parity summary could not be read, so nothing is vouched for'], []);
  const summary = parsed.data;
  const reasons: string[] = [];
  const gates = outcome.gates.filter((gate) => gate.suite === 'parity');
  const candidates = Object.keys(summary.wrappers).filter((name) => name !== summary.control);
  if (!Object.keys(summary.wrappers).includes(summary.control))
    reasons.push(`the ${summary.control} control did not run, so the harness itself is unchecked`);
  const control = gates.filter((gate) => gate.subject === summary.control && gate.status !== 'pass');
  const controlFailures = control.map((gate) => `${gate.title} ${gate.figureText}`).join(', ');
  if (control.length)
    reasons.push(`harness check failed: ${summary.control} ${controlFailures} (results cannot be trusted)`);
  if (candidates.length === 0)
    reasons.push('no wrapper under test: only the built-in passthrough ran (add --wrapper NAME=TEMPLATE)');
  if (summary.cases_in_matrix !== null && summary.cases_run < summary.cases_in_matrix)
    reasons.push(`only ${summary.cases_run} of ${summary.cases_in_matrix} cases ran; readiness needs the full matrix`);
  if (summary.mutating_cases_run === 0) reasons.push('no mutating case ran');
  if (summary.native_unexpected.length)
    reasons.push(
      `native git did not behave as ${summary.native_unexpected.length} case(s) ` +
        `expect (${summary.native_unexpected.join(', ')})`,
    );
  for (const name of candidates) {
    for (const gate of gates.filter((g) => g.subject === name && g.status !== 'pass' && g.status !== 'known')) {
      const unlisted = summary.wrappers[name]?.[gate.metric]?.mismatches ?? [];
      const why =
        gate.status === 'fail' ? `${gate.figureText}, needs ${gate.threshold}` : gate.status.replace('_', ' ');
      const more = unlisted.length - 4;
      const shown = more > 0 ? `${unlisted.slice(0, 4).join(', ')}, … ${more} more` : unlisted.join(', ');
      const mismatches = `${unlisted.length} unlisted mismatch${unlisted.length === 1 ? '' : 'es'}`;
      reasons.push(`${name}: ${gate.title} ${why}${unlisted.length ? ` (${mismatches}: ${shown})` : ''}`);
    }
  }
  const accepted = gates.filter((gate) => candidates.includes(gate.subject ?? '') && gate.status === 'known').length;
  return finishParity(reasons, candidates, accepted, summary.cases_run);
}

function finishParity(reasons: string[], candidates: readonly string[], accepted = 0, cases = 0): ParityReadiness {
  const what = 'rewriting of mutating git commands';
  if (reasons.length) return { go: false, reasons, line: `NO-GO: not safe to enable ${what}: ${reasons.join('; ')}` };
  const known = accepted ? `; ${accepted} gate(s) hold only through listed known differences` : '';
  return {
    go: true,
    reasons,
    line:
      `GO: safe to enable ${what} through ${candidates.join(', ')}: all parity ` +
      `gates hold on ${cases} cases, passthrough control at 100%${known}`,
  };
}

function gate0(outcome: Outcome): string {
  return outcome.gates.find((gate) => gate.id === 'hook.latency_p95')?.threshold ?? '';
}

function finish(reasons: string[]): RewriteReadiness {
  return { go: false, reasons, line: `NO-GO: not safe to enable ${WHAT}: ${reasons.join('; ')}` };
}
