import type { Writer as StenoWriter } from 'steno';
import type { InProcessWriter } from './in-process.js';

// Each peer is imported on first use: a one-shot process writing with `reference` should not pay
// ~70 ms of loading three libraries it never calls (crash and bench spawn hundreds of these).

type FsyncOptionWrite = (target: string, content: Buffer, options: { fsync?: boolean }) => Promise<void>;

/** A real npm peer with its default options; `fast` turns off its fsync (both peers take `{fsync:false}`). */
function fsyncOptionPeer(name: string, description: string, load: () => Promise<FsyncOptionWrite>): InProcessWriter {
  return {
    name,
    description,
    synchronous: false,
    async write(target, content, mode) {
      const write = await load();
      await write(target, content, mode === 'fast' ? { fsync: false } : {});
    },
  };
}

export const writeFileAtomicWriter = fsyncOptionPeer(
  'write-file-atomic',
  'npm write-file-atomic@7, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  async () => (await import('write-file-atomic')).default,
);

export const atomicallyWriter = fsyncOptionPeer(
  'atomically',
  'npm atomically@2, default options (fsync on); fast = {fsync:false}; no write-if-changed',
  async () => (await import('atomically')).writeFile,
);

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
