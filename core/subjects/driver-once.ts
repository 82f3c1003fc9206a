/**
 * One write through a persistent driver in a process of its own: `driver-once MODE SOURCE TARGET --
 * DRIVER ARGV...`, or one batch: `driver-once --batch MODE SOURCE1 TARGET1 [SOURCE TARGET ...] --
 * DRIVER ARGV...`. Exit 0 when the driver answered ok, 1 otherwise, 4 when it has no batch form
 * (it answered write_batch with "unknown op"), 2 on bad arguments. Lets strace and the crash suite
 * treat a driver like any other one-shot writer (strace -f follows into the driver).
 */
import { answersUnknownOp, DriverConnection, type BatchPair } from './driver-protocol.js';

const USAGE =
  'usage: driver-once MODE SOURCE TARGET -- DRIVER ARGV...\n' +
  '       driver-once --batch MODE SOURCE TARGET [SOURCE TARGET ...] -- DRIVER ARGV...\n';
/** The exit code of a batch the driver has no form for: not a failed write. */
const NO_BATCH_FORM_EXIT = 4;

async function main(argv: string[]): Promise<number> {
  const batch = argv[0] === '--batch';
  const args = batch ? argv.slice(1) : argv;
  const split = args.indexOf('--');
  const [mode, ...paths] = split < 0 ? [] : args.slice(0, split);
  const driverArgv = args.slice(split + 1);
  const shapeOk = batch ? paths.length >= 2 && paths.length % 2 === 0 : paths.length === 2;
  if (split < 0 || !mode || !shapeOk || driverArgv.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const connection = new DriverConnection(driverArgv);
  const response = batch
    ? await connection.request({ op: 'write_batch', files: pairsOf(paths), mode })
    : await connection.request({ op: 'write', source: paths[0] as string, target: paths[1] as string, mode });
  await connection.quit();
  if (response.ok) return 0;
  process.stderr.write(`driver: ${response.error ?? 'failed'}\n`);
  return batch && answersUnknownOp(response) ? NO_BATCH_FORM_EXIT : 1;
}

function pairsOf(paths: readonly string[]): BatchPair[] {
  const pairs: BatchPair[] = [];
  for (let i = 0; i + 1 < paths.length; i += 2)
    pairs.push({ source: paths[i] as string, target: paths[i + 1] as string });
  return pairs;
}

process.exitCode = await main(process.argv.slice(2));
