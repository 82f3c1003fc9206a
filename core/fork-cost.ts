import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps writegate's own memory from taxing every process it starts. Linux node forks to spawn (see
 * spawner.ts), and a fork copies the parent's page tables, so each spawn costs more the more memory
 * writegate holds. Buffers that are already garbage count too until the GC runs, and little makes
 * it run while a suite mostly spawns: after crash had read its 8 MiB files, about 100 MB of dead
 * buffers were still mapped, and each spawn cost 10-15 ms instead of 2 (parity and hook spawn
 * hundreds). So before a spawn, once external buffers have grown well past what the last
 * collection kept alive, they are collected.
 */

/** Growth of external buffers since the last collection that is worth a full GC (a few ms) to return. */
const GROWTH_WORTH_COLLECTING = 16 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let keptAfterLast = 0;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (collect = exposed);
  try {
    // The documented way to reach the GC from a running program; where it fails, spawns just cost more.
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Collects now (between suites: what one left behind is dead before the next spawns). */
export function shedGarbage(): void {
  const gc = collector();
  if (!gc) return;
  gc();
  keptAfterLast = process.memoryUsage().arrayBuffers;
}

/** Collects dead buffers before a spawn when there are enough of them to make the fork dear. */
export function shedGarbageBeforeSpawn(): void {
  if (process.memoryUsage().arrayBuffers - keptAfterLast >= GROWTH_WORTH_COLLECTING) shedGarbage();
}
