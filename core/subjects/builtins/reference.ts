import { writeFileAtomicSync } from '../../writer/index.js';
import type { InProcessWriter } from './in-process.js';

export const referenceWriter: InProcessWriter = {
  name: 'reference',
  description:
    "writegate's reference writer: temp, write all, fdatasync, rename, fsync dir; unchanged skips identical content",
  synchronous: true,
  write(target, content, mode, options) {
    writeFileAtomicSync(target, content, {
      mode,
      lock: options?.lock,
      expected: options?.expectSha256 ? { sha256: options.expectSha256 } : undefined,
    });
  },
};
