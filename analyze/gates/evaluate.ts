import { COMPARISON_SYMBOL, compare, formatRatio, formatSize, formatThreshold, formatValue } from '../format.js';
import type { Comparison, Figure, GateResult, GateSpec } from '../types.js';
import { detailText, input, joinPhrases, phraseText, type Phrase } from '../phrase.js';
import { floorTooNoisy } from './floor.js';

/** A gate after the thresholds file: maybe a new threshold or scope, maybe switched off. */
export interface EffectiveGate extends GateSpec {
  /** Why the gate is off (from the thresholds file); an off gate is reported, never evaluated. */
  disabled?: string;
  /** The thresholds file that changed this gate, and what it changed. */
  override?: { file: string; changed: string[]; defaults: Pick<GateSpec, 'threshold' | 'selector'> };
}

type Key = Pick<Figure, 'scenario' | 'subject' | 'mode' | 'size_bytes'>;

/** What --require-judged adds to the detail of an instance it turns from not judged into a failure. */
export const REQUIRED_JUDGMENT = ' (a failure under --require-judged)';

function keyOf(figure: Key): string {
  return JSON.stringify([figure.scenario, figure.subject, figure.mode, figure.size_bytes]);
}

function within(list: readonly string[] | undefined, value: string): boolean {
  return list === undefined || list.includes(value);
}

function inScope(gate: GateSpec, figure: Figure): boolean {
  const s = gate.selector;
  return (
    figure.metric === gate.metric &&
    within(s.scenario, figure.scenario) &&
    within(s.mode, figure.mode) &&
    within(s.subjects, figure.subject) &&
    !(s.excludeSubjects ?? []).includes(figure.subject)
  );
}

/** Which end of a figure's range is the worrying one under this comparison. */
function worse(comparison: Comparison, threshold: number, a: number, b: number): number {
  if (comparison === '<' || comparison === '<=') return Math.max(a, b);
  if (comparison === '>' || comparison === '>=') return Math.min(a, b);
  return Math.abs(a - threshold) >= Math.abs(b - threshold) ? a : b;
}

/**
 * Several figures with one key (the same measurement in several shards, when a section does not
 * pool them itself) collapse to the worst one, so merging shards can never hide a failure.
 */
function collapse(figures: readonly Figure[], pick: (a: number, b: number) => number): Map<string, Figure> {
  const byKey = new Map<string, Figure>();
  for (const figure of figures) {
    const key = keyOf(figure);
    const seen = byKey.get(key);
    // Not judged in any shard or run is not judged: a judged figure elsewhere does not make it one.
    if (!seen) byKey.set(key, figure);
    else if (seen.notJudged !== undefined) continue;
    else if (figure.notJudged !== undefined) byKey.set(key, figure);
    else if (seen.value === null) continue;
    else if (figure.value === null) byKey.set(key, figure);
    // A figure that only bounds the quantity gives way to an exact one, which can fail.
    else if ((seen.upperBoundOnly === undefined) !== (figure.upperBoundOnly === undefined)) {
      if (figure.upperBoundOnly === undefined) byKey.set(key, figure);
    } else if (pick(seen.value, figure.value) !== seen.value) byKey.set(key, figure);
  }
  return byKey;
}

/** One figure against the gate, as if it were the only one with its key. */
function judgeFigure(
  gate: EffectiveGate,
  figure: Figure,
  denominators: ReadonlyMap<string, Figure> | undefined,
  varying: ReadonlySet<'scenario' | 'mode'>,
): GateResult {
  const instance = instanceLabel(figure, varying);
  const base = {
    instance,
    scenario: figure.scenario,
    subject: figure.subject,
    mode: figure.mode,
    size_bytes: figure.size_bytes,
    ...(figure.cause === undefined ? {} : { cause: figure.cause }),
  };
  const baseUnit = gate.baseUnit ?? gate.unit;
  if (figure.notJudged !== undefined) {
    return result(gate, {
      ...base,
      status: 'not_judged',
      reason: ['not judged: ', input(figure.notJudged)],
      notJudged: figure.notJudged,
    });
  }
  if (figure.value === null) {
    return result(gate, { ...base, status: 'no_data', reason: figure.note ? [input(figure.note)] : ['not measured'] });
  }
  const noisy = figure.floor ? floorTooNoisy(figure.floor, gate.threshold) : undefined;
  if (noisy !== undefined) {
    return result(gate, { ...base, status: 'not_judged', reason: noisy, notJudged: phraseText(noisy) });
  }
  let value = figure.value;
  let figureText = formatValue(value, gate.unit);
  if (gate.relativeTo && denominators) {
    const denominatorKey = { ...figure, ...gate.relativeTo };
    const denominator = denominators.get(keyOf(denominatorKey));
    const against = instanceLabel(denominatorKey, new Set(['mode', ...varying]));
    const inexact = denominator?.notJudged ?? denominator?.upperBoundOnly;
    if (inexact !== undefined) {
      return result(gate, {
        ...base,
        status: 'not_judged',
        reason: ['not judged: cannot compare with ', input(against), ': ', input(inexact)],
        notJudged: inexact,
      });
    }
    if (!denominator || denominator.value === null || denominator.value <= 0) {
      const why: Phrase = !denominator
        ? ['no figure']
        : denominator.value !== null
          ? [`figure is ${denominator.value}`]
          : denominator.note === undefined
            ? ['not measured']
            : [input(denominator.note)];
      return result(gate, {
        ...base,
        status: 'no_data',
        reason: ['cannot compare with ', input(against), ': ', ...why],
      });
    }
    value = figure.value / denominator.value;
    const fraction = `${formatValue(figure.value, baseUnit)} / ${formatValue(denominator.value, baseUnit)}`;
    figureText = `${formatRatio(value)} (${fraction})`;
  }
  const holds = compare(value, gate.comparison, gate.threshold);
  if (figure.upperBoundOnly !== undefined && !(holds && (gate.comparison === '<' || gate.comparison === '<='))) {
    // A bound that does not pass says nothing: the quantity itself may be anywhere below it.
    return result(gate, {
      ...base,
      status: 'not_judged',
      reason: ['not judged: ', input(figure.upperBoundOnly)],
      notJudged: figure.upperBoundOnly,
    });
  }
  const status = holds ? 'pass' : figure.known ? 'known' : 'fail';
  const notes: Phrase[] = [
    ...(figure.note ? [[input(figure.note)]] : []),
    ...(status === 'known' && figure.known ? [['known difference: ', input(figure.known)]] : []),
  ];
  return result(gate, {
    ...base,
    figure: value,
    figureText,
    status,
    reason: [
      `${figureText}, needs ${thresholdText(gate)}`,
      ...(notes.length ? [' (', ...joinPhrases(notes, '; '), ')'] : []),
    ],
  });
}

function groupByKey(figures: readonly Figure[]): Map<string, Figure[]> {
  const groups = new Map<string, Figure[]>();
  for (const figure of figures) {
    const key = keyOf(figure);
    const group = groups.get(key);
    if (group) group.push(figure);
    else groups.set(key, [figure]);
  }
  return groups;
}

/** The results of one key's figures as one: fail (or known), then not judged, then no data, then the worst pass. */
function combined(judged: readonly GateResult[], gate: GateSpec): GateResult {
  const worst = (statuses: readonly GateResult['status'][]) => {
    const hits = judged.filter((entry) => statuses.includes(entry.status));
    return hits.reduce<GateResult | undefined>(
      (a, b) =>
        a === undefined ||
        (a.figure !== null &&
          b.figure !== null &&
          worse(gate.comparison, gate.threshold, a.figure, b.figure) !== a.figure)
          ? b
          : a,
      undefined,
    );
  };
  return (
    worst(['fail']) ??
    worst(['known']) ??
    judged.find((entry) => entry.status === 'not_judged') ??
    judged.find((entry) => entry.status === 'no_data') ??
    worst(['pass']) ??
    (judged[0] as GateResult)
  );
}

/** Names an instance by subject and size, plus scenario and mode where those vary within the gate. */
export function instanceLabel(key: Key, varying: ReadonlySet<'scenario' | 'mode'> = new Set()): string {
  const parts: string[] = [];
  if (key.subject) parts.push(key.subject);
  if (key.scenario && varying.has('scenario')) parts.push(key.scenario);
  if (key.mode && varying.has('mode')) parts.push(key.mode);
  if (key.size_bytes !== null) parts.push(formatSize(key.size_bytes));
  return parts.join(' · ');
}

function describeRelative(gate: GateSpec): string {
  return Object.values(gate.relativeTo ?? {}).join(' ');
}

export function thresholdText(gate: GateSpec): string {
  const symbol = COMPARISON_SYMBOL[gate.comparison];
  const relative = gate.relativeTo ? ` ${describeRelative(gate)}` : '';
  return `${symbol} ${formatThreshold(gate.threshold, gate.unit)}${relative}`;
}

/** `name`: how the thresholds file's name is shown (the report renders it inert: it is the user's). */
export function sourceText(gate: EffectiveGate, name: (file: string) => string = (file) => file): string {
  if (!gate.override) return gate.source;
  const was: string[] = [];
  if (gate.override.changed.includes('threshold')) {
    was.push(`default ${formatThreshold(gate.override.defaults.threshold, gate.unit)}`);
  }
  const scope = gate.override.changed.filter((field) => field !== 'threshold' && field !== 'disabled');
  if (scope.length) was.push(`${scope.join(', ')} changed`);
  return `${name(gate.override.file)}${was.length ? ` (${was.join('; ')}, ${gate.source})` : ` (${gate.source})`}`;
}

function scopeText(gate: GateSpec): string {
  const s = gate.selector;
  const parts: string[] = [];
  if (s.mode) parts.push(`mode ${s.mode.join('/')}`);
  if (s.sizes) parts.push(s.sizes.map(formatSize).join(', '));
  if (s.scenario) parts.push(`scenario ${s.scenario.join('/')}`);
  if (s.subjects) parts.push(`subjects ${s.subjects.join(', ')}`);
  return parts.join(', ');
}

function result(
  gate: EffectiveGate,
  fields: Partial<Omit<GateResult, 'detail'>> & Pick<GateResult, 'status' | 'reason'>,
): GateResult {
  return {
    id: gate.id,
    suite: gate.suite,
    title: gate.title,
    description: gate.description,
    instance: '',
    metric: gate.metric,
    figure: null,
    figureText: '—',
    threshold: thresholdText(gate),
    comparison: gate.comparison,
    thresholdValue: gate.threshold,
    unit: gate.unit,
    source: sourceText(gate),
    ...fields,
    detail: detailText(fields.instance ?? '', fields.reason),
  };
}

/**
 * The gate needs something the user configures (`configuredBy`) and the figures hold nothing of it:
 * its metric is absent, and either the gate is left out when its part did not run, or the part that
 * would use the option ran (a `ranWith` figure). Listed under "Not configured", never as no data.
 */
export function notConfigured(gate: EffectiveGate, figures: readonly Figure[]): boolean {
  const by = gate.configuredBy;
  if (!by || gate.disabled !== undefined || figures.some((figure) => figure.metric === gate.metric)) return false;
  return (
    Boolean(gate.leftOutWhenNotRun) ||
    (by.ranWith !== undefined && figures.some((figure) => figure.metric === by.ranWith))
  );
}

/**
 * Evaluates one gate over a section's figures: one result per matching figure, plus a visible
 * `no_data` result for every expected figure that is missing. A size the run did not include is not
 * expected, so a gate scoped to sizes none of which ran has no results, nor has a gate not configured
 * (`notConfigured`: the analyzer lists it apart). Never throws on missing data.
 */
export function evaluateGate(gate: EffectiveGate, figures: readonly Figure[]): GateResult[] {
  if (gate.disabled !== undefined)
    return [result(gate, { status: 'disabled', reason: ['disabled: ', input(gate.disabled)] })];

  if (notConfigured(gate, figures)) return [];
  const candidates = figures.filter((figure) => inScope(gate, figure));
  if (candidates.length === 0 && gate.leftOutWhenNotRun && !figures.some((figure) => figure.metric === gate.metric))
    return [];
  if (candidates.length === 0) {
    const scope = scopeText(gate);
    return [
      result(gate, {
        status: 'no_data',
        reason: [`no ${gate.metric} figures`, ...(scope ? [' for ', input(scope)] : []), ' in the input'],
      }),
    ];
  }
  // A size in the gate's scope that no figure of the section has was not part of the run (--sizes
  // left it out): it is not expected, so it is neither evaluated nor reported as no data.
  const runSizes = new Set(figures.map((figure) => figure.size_bytes));
  const sizes = gate.selector.sizes?.filter((size) => runSizes.has(size));
  const matched = sizes
    ? candidates.filter((figure) => figure.size_bytes !== null && sizes.includes(figure.size_bytes))
    : candidates;
  const byKey = groupByKey(matched);
  // The denominator's worrying end is the opposite one: a smaller reference makes every ratio larger.
  const flipped: Comparison = gate.comparison === '<' || gate.comparison === '<=' ? '>=' : '<=';
  const denominators = gate.relativeTo
    ? collapse(
        figures.filter((figure) => figure.metric === gate.metric),
        (a, b) => worse(flipped, gate.threshold, a, b),
      )
    : undefined;

  const varying = new Set<'scenario' | 'mode'>();
  for (const field of ['scenario', 'mode'] as const)
    if (new Set(candidates.map((figure) => figure[field])).size > 1) varying.add(field);

  // Each figure judged on its own, then one result per key: a failure in any run or shard is the
  // result, then a run that could not be judged, then one with no figure; only runs that all pass
  // pass, on their worst figure. (Collapsing the figures first let a run too noisy to judge hide
  // another run's failure.)
  const results: GateResult[] = [];
  for (const group of byKey.values()) {
    const judged = group.map((figure) => judgeFigure(gate, figure, denominators, varying));
    results.push(combined(judged, gate));
  }
  if (sizes) {
    const subjects = [...new Set(candidates.map((figure) => figure.subject))];
    for (const subject of subjects) {
      const modes = [
        ...new Set(candidates.filter((figure) => figure.subject === subject).map((figure) => figure.mode)),
      ];
      const scenarios = [
        ...new Set(candidates.filter((figure) => figure.subject === subject).map((figure) => figure.scenario)),
      ];
      for (const scenario of scenarios) {
        for (const mode of modes) {
          for (const size of sizes) {
            const key = { scenario, subject, mode, size_bytes: size };
            if (byKey.has(keyOf(key))) continue;
            const instance = instanceLabel(key, varying);
            results.push(
              result(gate, {
                instance,
                scenario,
                subject,
                mode,
                size_bytes: size,
                status: 'no_data',
                reason: [`no ${gate.metric} figure at ${formatSize(size)}`],
              }),
            );
          }
        }
      }
    }
  }
  // Report order: subjects as the suite wrote them, then sizes ascending.
  const subjectOrder = [...new Set(candidates.map((figure) => figure.subject))];
  const rank = (r: GateResult) => subjectOrder.indexOf(r.subject ?? '');
  return results
    .map((r, index) => ({ r, index }))
    .sort((a, b) => rank(a.r) - rank(b.r) || (a.r.size_bytes ?? 0) - (b.r.size_bytes ?? 0) || a.index - b.index)
    .map(({ r }) => r);
}
