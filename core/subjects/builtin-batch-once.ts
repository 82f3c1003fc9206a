/**
 * One batch by a built-in writer in its own process: `builtin-batch-once [--per-file] NAME MODE
 * SOURCE TARGET [SOURCE TARGET ...]`: every file in one call of the writer's batch form, or with
 * --per-file its single write called file after file (what a caller without the batch form does).
 * Exit 0 on success, 1 with the error on stderr on failure, 2 on bad arguments. Used by strace
 * accounting and the crash suite.
 */
import fs from 'node:fs';
import { WRITE_MODES, type WriteMode } from '../writer/types.js';
import { builtinWriter } from './builtins/index.js';

async function main(argv: string[]): Promise<number> {
  const perFile = argv[0] === '--per-file';
  const [name, mode, ...paths] = perFile ? argv.slice(1) : argv;
  const writer = name ? builtinWriter(name) : undefined;
  const modeOk = mode !== undefined && (WRITE_MODES as readonly string[]).includes(mode);
  if (!writer?.writeBatch || !modeOk || paths.length < 2 || paths.length % 2 !== 0) {
    process.stderr.write(
      'usage: builtin-batch-once [--per-file] NAME durable|fast|unchanged SOURCE TARGET [SOURCE TARGET ...] ' +
        '(NAME: a built-in with a batch form)\n',
    );
    return 2;
  }
  try {
    // Every source is read first: a missing one fails the batch before any target changes.
    const files: { target: string; content: Buffer }[] = [];
    for (let i = 0; i + 1 < paths.length; i += 2)
      files.push({ target: paths[i + 1] as string, content: fs.readFileSync(paths[i] as string) });
    if (!perFile) await writer.writeBatch(files, mode as WriteMode);
    else for (const file of files) await writer.write(file.target, file.content, mode as WriteMode);
    return 0;
  } catch (error) {
    process.stderr.write(`${writer.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
