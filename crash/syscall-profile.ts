import path from 'node:path';
import { describeReach } from '../core/trace/durability.js';
import { succeeded } from '../core/trace/files.js';
import type { SubjectFacts } from './types.js';
import { formatBytes } from './sandbox.js';
import type { PathCall, WritePath } from './strace/write-path.js';

export interface SyscallProfile {
  /** Durability gaps a kill cannot show (no fsync of the file, none of the directory). */
  gaps: string[];
  text: string;
}

/**
 * The write path a subject was seen to take, from its fault-free trace, in words: what a reader
 * needs to see the durability gaps that no kill test can reveal (a SIGKILL loses nothing the kernel
 * already holds, so a missing fsync never shows up as a failed kill trial), and which mechanism was
 * judged ("data made durable by O_DSYNC writes", "synced by syncfs", "bytes written through a
 * shared mapping").
 */
export function describeProfile(facts: SubjectFacts): SyscallProfile | undefined {
  const recording = facts.recording;
  if (!recording) return facts.notJudged ? { gaps: [], text: `not judged: ${facts.notJudged}` } : undefined;
  const model = recording.model;
  const parts: string[] = [];
  const gaps: string[] = [];
  const name = model.dataPath ? path.basename(model.dataPath) : '?';
  const target = path.basename(model.target);
  const flags = model.createOpen?.call.args.find((arg) => arg.includes('O_')) ?? '';
  if (model.inPlace) {
    parts.push(
      `writes the target in place (${model.createOpen?.call.name ?? 'open'} ${flags}): ` +
        `a crash mid-write leaves it torn`,
    );
  } else if (model.createOpen?.anonymous) {
    parts.push("temp file: anonymous (O_TMPFILE) in the target's directory, given a name by linkat once written");
  } else {
    const exclusive = /O_EXCL/.test(flags)
      ? 'O_EXCL'
      : /O_TRUNC/.test(flags)
        ? 'O_TRUNC, reusing any file of that name'
        : flags;
    const naming = recording.stableName
      ? 'fixed name, the same in every run: concurrent writers share it'
      : 'name differs per run';
    const where =
      model.tmpDir !== undefined && model.dataPath !== undefined && path.dirname(model.dataPath) === model.tmpDir
        ? "in $TMPDIR, renamed into the target's directory"
        : "in the target's directory";
    parts.push(`temp file ${where}: ${name.replace(target, '<target>')} (${naming}; ${exclusive})`);
  }
  parts.push(payloadText(model, recording.size));
  const renameSeq = model.rename?.call.seq ?? Number.POSITIVE_INFINITY;
  const fileSyncs = model.fileSyncs.filter((pc) => pc.call.seq < renameSeq);
  const synchronous = synchronousFlag(model);
  if (fileSyncs.length > 0)
    parts.push(`fsync of the file: yes (${syncChain(fileSyncs)}${model.inPlace ? '' : ' before the rename'})`);
  else if (synchronous)
    parts.push(
      `fsync of the file: not needed, its data is made durable by ${synchronous} writes (each durable when it returns)`,
    );
  else {
    parts.push('fsync of the file: NO');
    gaps.push(
      model.inPlace
        ? 'the file is never fsynced: after a power loss it can be empty or partial'
        : 'no fsync before the rename: after a power loss the target can be empty ' +
            'or partial even though the rename happened',
    );
  }
  if (!model.inPlace) {
    parts.push(`rename: ${renameText(model)}`);
    const dirSync = model.dirSyncs.find((pc) => pc.call.seq > renameSeq);
    if (dirSync) parts.push(`fsync of the directory: yes (${describeReach(dirSync)} after the rename)`);
    else {
      parts.push('fsync of the directory: NO');
      gaps.push('no fsync of the directory after the rename: after a power loss the rename itself can be lost');
    }
  }
  const notes = recording.translation?.notes ?? [];
  if (notes.length) parts.push(`seen but not a sync here: ${notes.join('; ')}`);
  const threads = model.tids.length;
  if (threads > 1) parts.push(`${threads} threads/processes touch the directory`);
  if (facts.errorTrials > 0)
    parts.push(`temp left after an injected error: ${facts.errorTrialsWithOrphans}/${facts.errorTrials} trials`);
  parts.push(`short writes: ${facts.shortWrite ?? 'not observed (tiny_fs did not run with strace)'}`);
  if (facts.notJudged) parts.push(`not judged at some size: ${facts.notJudged}`);
  if (gaps.length) parts.push(`durability gaps a kill cannot show: ${gaps.join('; ')}`);
  return { gaps, text: parts.join('; ') };
}

/** "payload of 128 KiB in 2 sendfile calls (copied in the kernel)", "… through a shared mapping (…)". */
function payloadText(model: WritePath, size: number): string {
  const payload = `payload of ${formatBytes(size)}`;
  if (model.writes.length === 0 && model.mappings.length > 0) {
    return (
      `${payload} written through a shared mapping (mmap of ${formatBytes(model.mappings[0]?.mapped?.length ?? 0)}; ` +
      `the mapped bytes are not in the trace, so the model takes them from the ` +
      `file's final content)`
    );
  }
  const names = [...new Set(model.writes.map((pc) => pc.call.name))];
  const count = `${model.writes.length} ${names.join('/') || 'write'} call${model.writes.length === 1 ? '' : 's'}`;
  const how: string[] = [];
  if (model.writes.some((pc) => ['sendfile', 'splice', 'copy_file_range'].includes(pc.call.name)))
    how.push('copied in the kernel');
  if (model.writes.some((pc) => pc.cloned)) how.push("sharing the source's blocks (reflink)");
  const flag = synchronousFlag(model);
  if (flag) how.push(`each ${flag}, durable when it returns`);
  return `${payload} in ${count}${how.length ? ` (${how.join('; ')})` : ''}`;
}

/** The flag every payload write carried (O_DSYNC, RWF_DSYNC, …), when they all carried one. */
function synchronousFlag(model: WritePath): string | undefined {
  const flags = [...new Set(model.writes.map((pc) => pc.synchronous))];
  return model.writes.length > 0 && flags.length === 1 ? flags[0] : undefined;
}

/** "msync(MS_SYNC) of its mapping, then fsync": the distinct ways the file was synced, in order. */
function syncChain(syncs: readonly PathCall[]): string {
  return [...new Set(syncs.map(describeReach))].join(', then ');
}

function renameText(model: WritePath): string {
  // The rename that installed the target, not an attempt before it (a RENAME_NOREPLACE that met EEXIST).
  const first = model.rename;
  const rename =
    model.calls.find(
      (pc) =>
        pc.family === 'rename' &&
        succeeded(pc) &&
        pc.paths[1] === model.target &&
        pc.call.seq >= (first?.call.seq ?? 0),
    ) ?? first;
  if (!rename) return 'none seen';
  if (rename.exchangedIno !== undefined)
    return `${rename.call.name} with RENAME_EXCHANGE (the old content swapped out under the temp's name)`;
  if (rename.ino !== model.dataIno) return `${rename.call.name} of a symlink to the written file (a symlink swap)`;
  return rename.call.name;
}
