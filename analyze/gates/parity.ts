import { METRICS, SUBJECT_ROLES } from '../../core/schema.js';
import type { GateSpec } from '../types.js';

/** Parity's per-case rows about native git itself carry this subject; it is never a wrapper. */
export const PARITY_NATIVE = SUBJECT_ROLES.parityNative;
/** The built-in control wrapper: it must score 100% or the harness, not a wrapper, is at fault. */
export const PARITY_CONTROL = SUBJECT_ROLES.parityControl;

/**
 * The semantic-parity targets: a wrapper exits, changes the repository and reports like git. Each gate judges one
 * rate per wrapper, computed by the parity section from the per-case 0/1 flags. A rate below its
 * threshold is `known` (shown, not failing) only when every mismatch behind it is listed in the
 * known-differences file; one unlisted mismatch fails the gate.
 */
export const PARITY_GATES: readonly GateSpec[] = [
  {
    id: 'parity.exit_code_match',
    suite: 'parity',
    title: 'exit code match rate',
    metric: METRICS.exitCodeMatchRate,
    selector: { excludeSubjects: [PARITY_NATIVE] },
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    source: 'default target: a wrapper exits exactly like git',
    description:
      "The wrapper exits with exactly native git's exit code on every case of " +
      'the matrix (success and failure variants). ' +
      'A wrapper that prints FAILED but exits 0 is the worst bug a wrapper can ' +
      'have: callers and agents read the exit code, not the text.',
  },
  {
    id: 'parity.side_effect_match',
    suite: 'parity',
    title: 'side-effect match rate',
    metric: METRICS.sideEffectMatchRate,
    selector: { excludeSubjects: [PARITY_NATIVE] },
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    source: 'default target: a wrapper changes the repository exactly like git',
    description:
      'After the command, the repository is the same as after native git: HEAD, ' +
      "every ref, the remote's refs, index entries with stages, " +
      'working-tree files and modes, untracked files, stash and worktree lists, config, in-progress operation state. ' +
      'Reflog timestamps, index stat data and workspace paths are normalised away.',
  },
  {
    id: 'parity.stderr_key_signals',
    suite: 'parity',
    title: 'stderr key-signal match rate',
    metric: METRICS.stderrKeySignalMatchRate,
    selector: { excludeSubjects: [PARITY_NATIVE] },
    comparison: '>=',
    threshold: 0.99,
    unit: 'fraction',
    source: "default target: git's key diagnostics survive the wrapper",
    description:
      "Every key line of native git's output (fatal:, error:, CONFLICT, [rejected], " +
      'nothing to commit, Authentication failed, … — ' +
      "the list in parity/checks.ts) appears in the wrapper's stdout or stderr. " +
      'Compact output is fine on success; the diagnosis must survive.',
  },
];
