import path from 'node:path';
import type { SubjectFacts } from './context.js';
import { formatBytes } from './sandbox.js';

export interface SyscallProfile {
  /** Durability gaps a kill cannot show (no fsync of the file, none of the directory). */
  gaps: string[];
  text: string;
}

/**
 * The write path a subject was seen to take, from its fault-free trace, in words: what a reader
 * needs to see the durability gaps that no kill test can reveal (a SIGKILL loses nothing the kernel
 * already holds, so a missing fsync never shows up as a failed kill trial).
 */
export function describeProfile(facts: SubjectFacts): SyscallProfile | undefined {
  const recording = facts.recording;
  if (!recording) return undefined;
  const model = recording.model;
  const parts: string[] = [];
  const gaps: string[] = [];
  const name = model.dataPath ? path.basename(model.dataPath) : '?';
  const target = path.basename(model.target);
  if (model.inPlace) {
    const flags = model.createOpen?.call.args.find((arg) => arg.includes('O_')) ?? '';
    parts.push(`writes the target in place (${model.createOpen?.call.name ?? 'open'} ${flags}): a crash mid-write leaves it torn`);
  } else {
    const flags = model.createOpen?.call.args.find((arg) => arg.includes('O_')) ?? '';
    const exclusive = /O_EXCL/.test(flags) ? 'O_EXCL' : /O_TRUNC/.test(flags) ? 'O_TRUNC, reusing any file of that name' : flags;
    const naming = recording.stableName ? 'fixed name, the same in every run: concurrent writers share it' : 'name differs per run';
    const where = model.tmpDir !== undefined && model.dataPath !== undefined && path.dirname(model.dataPath) === model.tmpDir ? 'in $TMPDIR, renamed into the target\'s directory' : "in the target's directory";
    parts.push(`temp file ${where}: ${name.replace(target, '<target>')} (${naming}; ${exclusive})`);
  }
  const writeNames = [...new Set(model.writes.map((pc) => pc.call.name))].join('/');
  parts.push(`payload of ${formatBytes(recording.size)} in ${model.writes.length} ${writeNames || 'write'} call${model.writes.length === 1 ? '' : 's'}`);
  const renameSeq = model.rename?.call.seq ?? Number.POSITIVE_INFINITY;
  const fileSync = model.fileSyncs.find((pc) => pc.call.seq < renameSeq);
  if (fileSync) parts.push(`fsync of the file: yes (${fileSync.call.name}${model.inPlace ? '' : ' before the rename'})`);
  else {
    parts.push('fsync of the file: NO');
    gaps.push(model.inPlace ? 'the file is never fsynced: after a power loss it can be empty or partial' : 'no fsync before the rename: after a power loss the target can be empty or partial even though the rename happened');
  }
  if (!model.inPlace) {
    parts.push(`rename: ${model.rename ? model.rename.call.name : 'none seen'}`);
    const dirSync = model.dirSyncs.find((pc) => pc.call.seq > renameSeq);
    if (dirSync) parts.push(`fsync of the directory: yes (${dirSync.call.name} after the rename)`);
    else {
      parts.push('fsync of the directory: NO');
      gaps.push('no fsync of the directory after the rename: after a power loss the rename itself can be lost');
    }
  }
  const threads = model.tids.length;
  if (threads > 1) parts.push(`${threads} threads/processes touch the directory`);
  if (facts.errorTrials > 0) parts.push(`temp left after an injected error: ${facts.errorTrialsWithOrphans}/${facts.errorTrials} trials`);
  parts.push(`short writes: ${facts.shortWrite ?? 'not observed (tiny_fs did not run with strace)'}`);
  if (gaps.length) parts.push(`durability gaps a kill cannot show: ${gaps.join('; ')}`);
  return { gaps, text: parts.join('; ') };
}
