/**
 * One write through a persistent driver in a process of its own: `driver-once MODE SOURCE TARGET --
 * DRIVER ARGV...`. Exit 0 when the driver answered ok, 1 otherwise. Lets strace and the crash suite
 * treat a driver like any other one-shot writer (strace -f follows into the driver).
 */
import { DriverConnection } from './driver-protocol.js';

async function main(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const [mode, source, target] = argv.slice(0, split);
  const driverArgv = argv.slice(split + 1);
  if (split < 0 || !mode || !source || !target || driverArgv.length === 0) {
    process.stderr.write('usage: driver-once MODE SOURCE TARGET -- DRIVER ARGV...\n');
    return 2;
  }
  const connection = new DriverConnection(driverArgv);
  const response = await connection.request({ op: 'write', source, target, mode });
  await connection.quit();
  if (!response.ok) process.stderr.write(`driver: ${response.error ?? 'failed'}\n`);
  return response.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
