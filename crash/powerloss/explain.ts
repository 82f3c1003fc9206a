/**
 * Plain-English explanations of a violating crash state: where the crash was, which ops reached
 * the disk and which were lost, and what the target held — worded so the fix is visible
 * ("directory never fsynced", "the rename persisted, the file data did not").
 */
import type { PersistenceModel } from './models/model.js';
import { inodeOf, isEntryOp } from './op-facts.js';
import type { CrashState } from './state.js';
import { firstTarget, lostOps } from './state.js';
import type { TargetView } from './target-view.js';
import type { InodeId, JudgedTarget, LogicalOp, PowerLossInput } from './types.js';

export type CheckName = 'atomicity' | 'durability';

export function explainViolation(
  input: PowerLossInput,
  state: CrashState,
  check: CheckName,
  targetIno: InodeId | undefined,
  view: TargetView,
  model?: Pick<PersistenceModel, 'lossCause'>,
  target: JudgedTarget = firstTarget(input),
  /** How many judged files fail this check in this state: said when a batch has more than one. */
  failingTargets = 1,
): string {
  const issued = input.ops.slice(0, state.crashAfter + 1);
  const lost = new Set(lostOps(state));
  const persisted = issued.filter(
    (op) => (isEntryOp(op) || op.kind === 'write' || op.kind === 'truncate') && !lost.has(op.index),
  );
  // A file system that keeps nothing (tmpfs): no call of the writer would have helped, so say that.
  const cause = model?.lossCause ?? causeOf(input, state, issued, lost, targetIno, view, target);
  const detail = `persisted: ${summarize(persisted)}; lost: ${summarize(issued.filter((op) => lost.has(op.index)))}`;
  const others = failingTargets - 1;
  const phrase =
    targetPhrase(input, view, target) +
    (others > 0
      ? ` (as do ${others} other${others === 1 ? '' : 's'} of the ${input.targets.length} files judged)`
      : '');
  if (check === 'durability') {
    return `after success (exit 0) ${phrase}: ${cause} (${detail})`;
  }
  const where =
    state.crashAfter < 0 ? 'crash before the first operation' : `crash after ${input.ops[state.crashAfter]!.call}`;
  return `${where}: ${cause}: ${phrase} (${detail})`;
}

/** A judged file's own name: its label ("d1/a.txt"), else its directory's path and its name. */
export function targetName(input: PowerLossInput, target: JudgedTarget): string {
  return target.label ?? `${input.initial.dirs.get(target.dir)?.path ?? `#${target.dir}`}/${target.name}`;
}

/** How explanations name a judged file: "the target" when it is the only one, else "the target d1/a.txt". */
function targetLabel(input: PowerLossInput, target: JudgedTarget): string {
  return input.targets.length === 1 ? 'the target' : `the target ${targetName(input, target)}`;
}

function causeOf(
  input: PowerLossInput,
  state: CrashState,
  issued: readonly LogicalOp[],
  lost: ReadonlySet<number>,
  targetIno: InodeId | undefined,
  view: TargetView,
  target: JudgedTarget,
): string {
  const targetOutcome = targetIno === undefined ? undefined : state.files.get(targetIno);
  const placedBy = lastPersistedNaming(target, state, issued);
  if (placedBy && targetOutcome && targetOutcome.lost.length > 0) {
    const missingSync = missingDataSync(input, issued, targetOutcome.lost, placedBy);
    return `${placedBy.call} persisted, the file data did not (${targetOutcome.label}): ${missingSync}`;
  }
  if (view.kind === 'old' || view.kind === 'absent') {
    const missing = issued.filter((op) => lost.has(op.index) && namesTarget(target, op));
    const last = missing[missing.length - 1];
    if (last) {
      const dir = target.dir;
      const syncedAfter = issued.some(
        (op) => ((op.kind === 'sync' && op.ino === dir) || op.kind === 'sync_all') && op.index > last.index,
      );
      const known = input.initial.dirs.get(dir);
      const named = known?.label ?? `directory ${known?.path ?? dir}`;
      return syncedAfter
        ? `${last.call} did not persist`
        : `${last.call} did not persist: ${named} was never fsynced after it`;
    }
  }
  if (targetOutcome && targetOutcome.lost.length > 0) return `the file data did not persist (${targetOutcome.label})`;
  // Nothing was lost: the run itself had the target half-rewritten at this point (an in-place writer).
  if (lost.size === 0 && targetIno !== undefined && input.initial.files.has(targetIno))
    return 'the target is rewritten in place, and every operation issued so far persisted';
  return 'some issued operations did not persist';
}

/**
 * Which call was missing for the lost data, in the words of how the bytes came: a shared mapping
 * needs an msync or fsync; anything else an fsync (or fdatasync, O_DSYNC, sync, syncfs) after its
 * last write and before the name was placed.
 */
function missingDataSync(
  input: PowerLossInput,
  issued: readonly LogicalOp[],
  lost: readonly number[],
  placedBy: LogicalOp,
): string {
  const lostOps = lost.map((index) => input.ops[index]!);
  const ino = inodeOf(lostOps[0]!);
  const where = placedBy.index > (lostOps.at(-1)?.index ?? -1) ? `before ${placedBy.call}` : 'after them';
  if (lostOps.some((op) => op.kind === 'write' && op.via === 'mapping')) {
    return `its bytes written through a shared mapping were never msynced (MS_SYNC) or fsynced ${where}`;
  }
  const synced = issued.some((op) => (op.kind === 'sync' && op.ino === ino) || op.kind === 'sync_all');
  return synced
    ? `its last writes came after its last sync, and nothing synced them ${where}`
    : `the file was never fsynced (nor fdatasynced, written O_DSYNC, or covered by sync or syncfs) ${where}`;
}

/** The last persisted entry op of this run that made the target's name point where it does. */
function lastPersistedNaming(
  target: Pick<JudgedTarget, 'dir' | 'name'>,
  state: CrashState,
  issued: readonly LogicalOp[],
): LogicalOp | undefined {
  const persistedEntries = new Set(
    state.meta.entries.filter((change) => change.half !== 'remove').map((change) => change.op),
  );
  const namers = issued.filter((op) => namesTarget(target, op) && persistedEntries.has(op.index));
  return namers[namers.length - 1];
}

function namesTarget(target: Pick<JudgedTarget, 'dir' | 'name'>, op: LogicalOp): boolean {
  const { dir, name } = target;
  if (op.kind === 'rename' || op.kind === 'exchange') return op.toDir === dir && op.toName === name;
  if (op.kind === 'create' || op.kind === 'link' || op.kind === 'symlink') return op.dir === dir && op.name === name;
  return false;
}

function targetPhrase(input: PowerLossInput, view: TargetView, target: JudgedTarget): string {
  const it = targetLabel(input, target);
  switch (view.kind) {
    case 'absent':
      return `${it} is absent`;
    case 'old':
      return `${it} still holds the old content (${view.size} bytes)`;
    case 'fresh':
      return `${it} holds the new content`;
    case 'other':
      switch (view.shape) {
        case 'empty':
          return `${it} is 0 bytes`;
        case 'zeros':
          return `${it} is ${view.size} bytes of zeros`;
        case 'fresh-prefix':
          return `${it} is only the first ${view.size} of ${target.fresh.length} new bytes`;
        default:
          return (
            `${it} is ${view.size} bytes, neither the old nor the new content ` +
            `(first byte differing from the new at offset ${view.firstDifference})`
          );
      }
  }
}

/** "openat(…), pwrite64(…) … pwrite64(…) (128 write ops)": consecutive ops of one kind on one inode folded. */
export function summarize(ops: readonly LogicalOp[]): string {
  if (ops.length === 0) return 'nothing';
  const groups: LogicalOp[][] = [];
  for (const op of ops) {
    const group = groups[groups.length - 1];
    const head = group?.[0];
    if (
      group &&
      head &&
      head.kind === op.kind &&
      inodeOf(head) === inodeOf(op) &&
      group[group.length - 1]!.index + 1 === op.index
    )
      group.push(op);
    else groups.push([op]);
  }
  const shown = groups.slice(0, 6).map((group) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    return group.length === 1 ? first.call : `${first.call} … ${last.call} (${group.length} ${first.kind} ops)`;
  });
  if (groups.length > 6) shown.push(`and ${groups.length - 6} more groups`);
  return shown.join(', ');
}
