import fs from 'node:fs';
import path from 'node:path';
import type { InProcessWriter } from './in-process.js';

const TEMP_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
let counter = 0;

/**
 * The least a correct writer can do in plain synchronous fs calls, with no checks and no cleanup:
 * every other figure is read as a ratio to this machine's floor.
 */
export const floorWriter: InProcessWriter = {
  name: 'floor',
  description:
    'minimal raw syscall sequence: durable = open temp, write, fdatasync, ' +
    'close, rename, open+fsync dir; fast = the same without syncs; unchanged ' +
    '= stat, read, compare',
  synchronous: true,
  write(target, content, mode) {
    if (mode === 'unchanged') {
      const st = fs.statSync(target, { throwIfNoEntry: false });
      if (st && st.size === content.length && fs.readFileSync(target).equals(content)) return;
    }
    const temp = path.join(path.dirname(target), `.floor.${process.pid}.${counter++}`);
    const fd = fs.openSync(temp, TEMP_FLAGS, 0o644);
    fs.writeSync(fd, content);
    if (mode !== 'fast') fs.fdatasyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, target);
    if (mode !== 'fast') {
      const dirFd = fs.openSync(path.dirname(target), fs.constants.O_RDONLY);
      fs.fsyncSync(dirFd);
      fs.closeSync(dirFd);
    }
  },
};
