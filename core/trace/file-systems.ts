/**
 * Which file system a traced file lives on, asked of the real disk while the run's files still
 * exist: syncfs(fd) persists only the file system fd is on, so a syncfs counts for a writer's files
 * only when it is theirs. Files inside the watched directories are on theirs by construction.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedTrace } from './strace.js';
import { parseFd } from './strace.js';

/** A probe answering "is this file on the same file system as `home`?": true, false, or undefined (it is gone). */
export function fileSystemProbe(
  home: string,
  watched: readonly string[] = [home],
): (file: string) => boolean | undefined {
  const answers = new Map<string, boolean | undefined>();
  let homeDevice: number | undefined;
  return (file) => {
    if (watched.some((dir) => file === dir || path.dirname(file) === dir)) return true;
    if (answers.has(file)) return answers.get(file);
    let answer: boolean | undefined;
    try {
      homeDevice ??= fs.statSync(home).dev;
      answer = fs.statSync(file).dev === homeDevice;
    } catch {
      answer = undefined;
    }
    answers.set(file, answer);
    return answer;
  };
}

/**
 * The answer for every file a syncfs in this trace names, fixed now so it can be read after the run's files are gone.
 */
export function syncfsFileSystems(
  trace: ParsedTrace,
  probe: (file: string) => boolean | undefined,
): Map<string, boolean> {
  const answers = new Map<string, boolean>();
  for (const call of trace.calls) {
    if (call.name !== 'syncfs') continue;
    const file = parseFd(call.args[0])?.path;
    if (file === undefined || answers.has(file)) continue;
    const answer = probe(file);
    if (answer !== undefined) answers.set(file, answer);
  }
  return answers;
}
