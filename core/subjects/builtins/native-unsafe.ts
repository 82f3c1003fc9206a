import { writeFile } from 'node:fs/promises';
import type { InProcessWriter } from './in-process.js';

/** What most code does: truncate the target and write into it. A crash mid-write tears the file. */
export const nativeUnsafeWriter: InProcessWriter = {
  name: 'native-unsafe',
  description: 'fs.writeFile in place (truncate, then write); durable adds flush:true (fsync of the file only)',
  synchronous: false,
  async write(target, content, mode) {
    await writeFile(target, content, { flush: mode !== 'fast' });
  },
};
