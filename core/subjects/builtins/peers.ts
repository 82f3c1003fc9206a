import { writeFile as atomicallyWriteFile } from 'atomically';
import { Writer as StenoWriter } from 'steno';
import writeFileAtomic from 'write-file-atomic';
import type { InProcessWriter } from './in-process.js';

/** Real npm peers with their default options; `fast` turns off their fsync where they have one. */
export const writeFileAtomicWriter: InProcessWriter = {
  name: 'write-file-atomic',
  description: 'npm write-file-atomic@7, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  synchronous: false,
  async write(target, content, mode) {
    await writeFileAtomic(target, content, mode === 'fast' ? { fsync: false } : {});
  },
};

export const atomicallyWriter: InProcessWriter = {
  name: 'atomically',
  description: 'npm atomically@2, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  synchronous: false,
  async write(target, content, mode) {
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
      writer = new StenoWriter(target);
      stenoWriters.set(target, writer);
    }
    await writer.write(content);
  },
};
