import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readResultsCsv } from './csv.js';
import { undoUnder } from './fs/loop.js';
import { OWNER_FILE, pidRunning, stampAlive } from './owner.js';
import { pairMismatch } from './results-pair.js';
import { RESULTS_CSV } from './schema.js';
import { formatEnvFromRows } from './sink.js';
import { removeTree } from './workspace.js';
import { writeFileAtomicSync } from './writer/index.js';

export const WORKSPACE_PREFIX = 'writegate-';
/** The reference writer's temp names: `.<target>.<pid>.<hex>.tmp` (core/writer/atomic-write.ts). */
const WRITER_TEMP = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;
/** A directory a commit was swapping into --out when it was killed (core/out-commit.ts). */
const COMMIT_TREE = /\.writegate-(?:new|old)-(\d+)$/;
/** Workspace names: `<prefix>-<pid>-<random>` (tmp puts the pid in; core/workspace.ts). */
const WORKSPACE_PID = /-(\d+)-[^-]+$/;

export interface SweepOutcome {
  workspaces: string[];
  temps: string[];
  repairedEnv: boolean;
}

/**
 * What dead runs left behind, removed at the start of a run: workspaces under the temp root whose owner
 * process is gone (a SIGKILL or a power loss skips every cleanup), the reference writer's temp files in
 * `--out` whose writing process is gone, and a `results_env.txt` that a kill left naming another run
 * than the CSV (rewritten from the CSV's env rows). Anything a live process owns, or whose owner cannot
 * be told, is left alone.
 */
export function sweepLeftovers(outDir: string, tmpRoot = os.tmpdir()): SweepOutcome {
  const outcome: SweepOutcome = {
    workspaces: sweepWorkspaces(tmpRoot),
    temps: sweepOutTemps(outDir),
    repairedEnv: repairEnvFile(outDir),
  };
  const parts = [
    outcome.workspaces.length ? `${outcome.workspaces.length} workspace(s) in ${tmpRoot}` : '',
    outcome.temps.length ? `${outcome.temps.length} temp file(s) in ${outDir}` : '',
    outcome.repairedEnv ? `a results_env.txt that did not match results_raw.csv (rewritten)` : '',
  ].filter(Boolean);
  if (parts.length)
    process.stderr.write(`writegate: cleaned up after an interrupted earlier run: ${parts.join(', ')}\n`);
  return outcome;
}

/**
 * Only the dead runs' workspaces, for the very start of the CLI: a run killed moments after it started
 * must still have cleaned up after the run before it (the --out part waits until --out is known).
 */
export function sweepDeadWorkspaces(tmpRoot = os.tmpdir(), { quiet = false } = {}): string[] {
  const removed = sweepWorkspaces(tmpRoot);
  if (removed.length && !quiet)
    process.stderr.write(
      `writegate: cleaned up after an interrupted earlier run: ${removed.length} workspace(s) in ${tmpRoot}\n`,
    );
  return removed;
}

function sweepWorkspaces(tmpRoot: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(tmpRoot, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(WORKSPACE_PREFIX)) continue;
    const root = path.join(tmpRoot, entry.name);
    if (ownerAlive(root, entry.name)) continue;
    // A killed run leaves its mounts (crash's tmpfs, --fs file systems) and loop devices in place.
    undoUnder(root);
    removeTree(root);
    if (!fs.existsSync(root)) removed.push(root);
  }
  return removed;
}

/** True unless the workspace provably belongs to a process that is gone. */
function ownerAlive(root: string, name: string): boolean {
  try {
    return stampAlive(fs.readFileSync(path.join(root, OWNER_FILE), 'utf8'));
  } catch {
    // No owner file: just created (the file follows the directory), or not one of ours. Go by the
    // pid in the name, and keep what names none.
    const pid = WORKSPACE_PID.exec(name)?.[1];
    return pid === undefined || pidRunning(Number(pid));
  }
}

function sweepOutTemps(outDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(outDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = (WRITER_TEMP.exec(name) ?? COMMIT_TREE.exec(name))?.[1];
    if (pid === undefined || pidRunning(Number(pid))) continue;
    try {
      fs.rmSync(path.join(outDir, name), { recursive: true });
      removed.push(path.join(outDir, name));
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

function repairEnvFile(outDir: string): boolean {
  const csvPath = path.join(outDir, RESULTS_CSV);
  const mismatch = fs.existsSync(csvPath) ? pairMismatch(csvPath) : undefined;
  if (!mismatch?.csvRunId) return false;
  try {
    const rows = readResultsCsv(csvPath);
    writeFileAtomicSync(mismatch.envPath, formatEnvFromRows(mismatch.csvRunId, rows));
    return true;
  } catch {
    return false; // An unreadable CSV is reported when the run commits over it.
  }
}
