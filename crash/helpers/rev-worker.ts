/**
 * The locked revision counter, one worker: `rev-worker TARGET COUNT`. COUNT times: take the
 * reference writer's advisory lock, read `rev N`, write `rev N+1` with a compare-and-swap on what was
 * read, release. Prints `{"writes":…,"conflicts":…,"ms":…}`. With the lock serializing the
 * read-modify-write, W workers × COUNT increments must end at rev W×COUNT and see no conflict.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sha256, writeFileAtomicSync, WriteConflictError } from '../../core/writer/index.js';
import { acquireLock } from '../../core/writer/lock.js';

function main(argv: string[]): number {
  const [target, countText] = argv;
  const count = Number(countText);
  if (!target || !Number.isInteger(count) || count < 1) {
    process.stderr.write('usage: rev-worker TARGET COUNT\n');
    return 2;
  }
  const started = performance.now();
  let writes = 0;
  let conflicts = 0;
  for (let i = 0; i < count; i++) {
    const release = acquireLock(target, 60_000);
    try {
      const current = fs.readFileSync(target);
      const rev = Number(/^rev (\d+)/.exec(current.toString('utf8'))?.[1] ?? Number.NaN);
      if (!Number.isInteger(rev))
        throw new Error(`${target} does not hold "rev N": ${JSON.stringify(current.toString('utf8').slice(0, 40))}`);
      writeFileAtomicSync(target, `rev ${rev + 1}\n`, { expected: { sha256: sha256(current) } });
      writes += 1;
    } catch (error) {
      if (!(error instanceof WriteConflictError)) throw error;
      conflicts += 1;
    } finally {
      release();
    }
  }
  process.stdout.write(`${JSON.stringify({ writes, conflicts, ms: performance.now() - started })}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
