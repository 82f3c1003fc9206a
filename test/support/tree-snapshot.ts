/** A directory's files and their hashes: what "--out did not change" is checked against (no test runner needed). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every file under `root` with a hash of its bytes, and every directory (as `name/`), so an empty one made counts too;
 * empty when `root` does not exist.
 */
export function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        files[`${path.relative(root, full)}/`] = 'directory';
        walk(full);
      } else files[path.relative(root, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  if (fs.existsSync(root)) walk(root);
  return files;
}

/** The files that differ between two snapshots (added, removed or changed), sorted. */
export function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
