/**
 * One write by a built-in writer in its own process: `builtin-once NAME MODE SOURCE TARGET
 * [--lock] [--expect-sha256 HEX]`. Exit 0 on success, 1 with the error on stderr on failure,
 * 3 on a compare-and-swap conflict, 2 on bad arguments. Used by strace accounting and the crash suite.
 */
import fs from 'node:fs';
import { WriteConflictError } from '../writer/errors.js';
import { WRITE_MODES, type WriteMode } from '../writer/types.js';
import { builtinWriter } from './builtins/index.js';

async function main(argv: string[]): Promise<number> {
  const [name, mode, source, target, ...rest] = argv;
  const writer = name ? builtinWriter(name) : undefined;
  if (!writer || !mode || !(WRITE_MODES as readonly string[]).includes(mode) || !source || !target) {
    process.stderr.write(
      'usage: builtin-once NAME durable|fast|unchanged SOURCE TARGET [--lock] [--expect-sha256 HEX]\n',
    );
    return 2;
  }
  const expectIndex = rest.indexOf('--expect-sha256');
  const options = { lock: rest.includes('--lock'), expectSha256: expectIndex >= 0 ? rest[expectIndex + 1] : undefined };
  try {
    await writer.write(target, fs.readFileSync(source), mode as WriteMode, options);
    return 0;
  } catch (error) {
    process.stderr.write(`${writer.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof WriteConflictError ? 3 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
