#!/usr/bin/env node
// A complete writegate per-op writer: one process per write, exit 0 on success.
//   writegate gate --writer-cmd 'example=node examples/example-writer.mjs {source} {target} {mode}' \
//                  --writer-noop 'example=node examples/example-writer.mjs --noop'
// {mode} is durable or fast. Identical content is never rewritten, so the same command serves
// writegate's "unchanged" mode too (it sends durable there).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// The noop starts this same program and returns, so writegate can subtract the process start.
if (process.argv[2] === '--noop') process.exit(0);

const [source, target, mode = 'durable'] = process.argv.slice(2);
if (!source || !target || (mode !== 'durable' && mode !== 'fast')) {
  process.stderr.write('usage: example-writer.mjs SOURCE TARGET [durable|fast]\n');
  process.exit(2);
}

function sameContent(data) {
  try {
    // Size first: a different size is different content without reading the file.
    return fs.statSync(target).size === data.length && fs.readFileSync(target).equals(data);
  } catch {
    return false;
  }
}

function write(data) {
  // A unique temp in the target's directory: a rename within one directory is atomic, and two
  // writers of one target never share a temp file.
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    try {
      for (let off = 0; off < data.length; ) {
        const n = fs.writeSync(fd, data, off);
        if (n <= 0) throw new Error(`write returned ${n}`);
        off += n;
      }
      if (mode === 'durable') fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  if (mode === 'fast') return;
  // The rename is durable only once the directory entry is.
  const dir = fs.openSync(path.dirname(target), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

try {
  const data = fs.readFileSync(source);
  if (!sameContent(data)) write(data);
} catch (error) {
  process.stderr.write(`example-writer: ${error.message}\n`);
  process.exit(1);
}
