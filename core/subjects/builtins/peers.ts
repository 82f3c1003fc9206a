import type { Writer as StenoWriter } from 'steno';
import type { InProcessWriter } from './in-process.js';

// Each peer is imported on first use: a one-shot process writing with `reference` should not pay
// ~70 ms of loading three libraries it never calls (crash and bench spawn hundreds of these).

/** Real npm peers with their default options; `fast` turns off their fsync where they have one. */
export const writeFileAtomicWriter: InProcessWriter = {
  name: 'write-file-atomic',
  description: 'npm write-file-atomic@7, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  synchronous: false,
  async write(target, content, mode) {
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(target, content, mode === 'fast' ? { fsync: false } : {});
  },
};

export const atomicallyWriter: InProcessWriter = {
  name: 'atomically',
  description: 'npm atomically@2, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  synchronous: false,
  async write(target, content, mode) {
    const { writeFile: atomicallyWriteFile } = await import('atomically');
    await atomicallyWriteFile(target, content, mode === 'fast' ? { fsync: false } : {});
  },
};

const stenoWriters = new Map<string, StenoWriter>();

export const stenoWriter: InProcessWriter = {
  name: 'steno',
  description: 'npm steno@4 Writer, default (fixed temp name .<file>.tmp, no fsync in any mode)',
  synchronous: false,
  async write(target, content) {
    let writer = stenoWriters.get(target);
    if (!writer) {
      const { Writer } = await import('steno');
      writer = new Writer(target);
      stenoWriters.set(target, writer);
    }
    await writer.write(content);
  },
};
