/**
 * A directory tree as the power-loss model sees it: every subdirectory, every regular file with its
 * bytes, every symlink with its text, each file named by identity (two hard links are one file).
 * Taken of a command's work directory before it runs and after it exits.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TreeSnapshot {
  root: string;
  /** Absolute paths of the root and every directory under it, parents first. */
  dirs: string[];
  /** Regular files by absolute path. */
  files: Map<string, Buffer>;
  links: Map<string, string>;
  /** Which paths are one file: absolute path → `dev:ino` (files and directories). */
  identity: Map<string, string>;
  /** Entries that are neither (sockets, fifos, devices): the tree cannot be modelled with them in it. */
  special: string[];
}

export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = {
    root,
    dirs: [],
    files: new Map(),
    links: new Map(),
    identity: new Map(),
    special: [],
  };
  const visit = (dir: string): void => {
    snapshot.dirs.push(dir);
    snapshot.identity.set(dir, identityOf(fs.lstatSync(dir)));
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const stat = fs.lstatSync(full);
      if (stat.isDirectory()) visit(full);
      else if (stat.isFile()) {
        snapshot.files.set(full, fs.readFileSync(full));
        snapshot.identity.set(full, identityOf(stat));
      } else if (stat.isSymbolicLink()) {
        snapshot.links.set(full, fs.readlinkSync(full));
        snapshot.identity.set(full, identityOf(stat));
      } else snapshot.special.push(full);
    }
  };
  visit(root);
  return snapshot;
}

function identityOf(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/** Every path of the tree under its root, relative, with what it is: for comparing two trees in words. */
export function describeTree(snapshot: TreeSnapshot): Map<string, string> {
  const rel = (full: string): string => path.relative(snapshot.root, full) || '.';
  const out = new Map<string, string>();
  for (const dir of snapshot.dirs) out.set(rel(dir), 'dir');
  for (const [file, bytes] of snapshot.files) out.set(rel(file), `file ${bytes.length} bytes`);
  for (const [link, text] of snapshot.links) out.set(rel(link), `symlink to ${text}`);
  return out;
}
