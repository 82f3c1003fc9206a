#!/usr/bin/env node
// Prints the SHA-256 of what writegate's build is made from: every TypeScript source, tsconfig,
// package.json and package-lock.json under the given root (node_modules, dist and .git left out).
// `npm run build` writes it into dist/, so a published package says which sources it was built from,
// and the action installs a release only when the digest equals its own checkout's (action/install.sh).
// Plain Node, no dependency: it runs before anything is installed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const skipped = new Set(['node_modules', 'dist', '.git']);
const isBuildInput = (name) => name.endsWith('.ts') || /^tsconfig.*\.json$/.test(name);

/** Paths relative to root, '/'-separated, in byte order: the digest must not depend on the file system's order. */
function buildInputs(dir, prefix) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !skipped.has(entry.name)) found.push(...buildInputs(path.join(dir, entry.name), rel));
    else if (entry.isFile() && (isBuildInput(entry.name) || (!prefix && /^package(-lock)?\.json$/.test(entry.name))))
      found.push(rel);
  }
  return found;
}

const hash = createHash('sha256');
const files = buildInputs(root, '').sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
for (const rel of files) {
  const content = fs.readFileSync(path.join(root, rel));
  // Name and length before the bytes, so no two different file sets hash the same stream.
  hash.update(`${rel}\0${content.length}\0`);
  hash.update(content);
}
process.stdout.write(`${hash.digest('hex')}\n`);
