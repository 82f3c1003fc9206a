import type { Finding } from './finding.js';
import { percentChange } from './format.js';

/**
 * A suspected regression is re-measured once before it is reported: the re-measure (compared with
 * the same window) must show it again. Confirmed → regression (fails); otherwise → not reproduced
 * (reported, does not fail). Findings that were not suspected pass through untouched; a suspect the
 * re-measure did not cover stays suspected, with a note.
 */
export function confirmFindings(first: readonly Finding[], remeasured: readonly Finding[]): Finding[] {
  const again = new Map(remeasured.map((finding) => [finding.id, finding]));
  return first.map((finding) => {
    if (finding.status !== 'suspected') return finding;
    const second = again.get(finding.id);
    if (!second || second.current === null) return { ...finding, reason: `${finding.reason}; not re-measured` };
    const seen = second.status === 'suspected' || second.status === 'regression';
    const remeasure = `re-measured ${second.ratio === null ? 'n/a' : percentChange(second.ratio)}`;
    return {
      ...finding,
      status: seen ? 'regression' : 'not_reproduced',
      confirmation: seen ? 'confirmed' : 'not_reproduced',
      remeasured: second.current,
      reason: `${finding.reason}; ${remeasure}: ${seen ? 'confirmed' : 'not reproduced'}`,
    };
  });
}

/** Which series to re-measure, as bench options: the smallest run that covers every suspect. */
export interface RemeasurePlan {
  suite: string;
  subjects: string[];
  sizes: number[];
  modes: string[];
  /** Ready to append to `writegate <suite>` (subjects, sizes, modes). */
  args: string[];
}

export function remeasurePlan(findings: readonly Finding[]): RemeasurePlan[] {
  const bySuite = new Map<string, Finding[]>();
  for (const finding of findings)
    if (finding.status === 'suspected')
      bySuite.set(finding.key.suite, [...(bySuite.get(finding.key.suite) ?? []), finding]);
  return [...bySuite].map(([suite, suspects]) => {
    const subjects = [...new Set(suspects.map((f) => f.key.subject))].filter(Boolean).sort();
    const sizes = [...new Set(suspects.map((f) => f.key.size_bytes).filter((s): s is number => s !== null))].sort(
      (a, b) => a - b,
    );
    const modes = [...new Set(suspects.map((f) => f.key.mode))].filter(Boolean).sort();
    const args = [
      ...(subjects.length ? ['--subjects', subjects.join(',')] : []),
      ...(sizes.length ? ['--sizes', sizes.join(',')] : []),
      ...(modes.length && suite === 'bench' ? ['--modes', modes.join(',')] : []),
    ];
    return { suite, subjects, sizes, modes, args };
  });
}
