import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../contents.js';
import { describeTorn, TMPDIR_LABEL } from '../sandbox.js';
import type { Content, Held } from '../types.js';

/** A batch in crash: a few files over two directories, enough for a rename between others and two parents to sync. */
export const BATCH_FILES = 4;
export const BATCH_DIRS = 2;

/**
 * One batch trial's private directories: `batch/d0`, `batch/d1`, … holding the batch's files and
 * nothing else, and the writer's own $TMPDIR beside them. File i is `d{i mod K}/f{i}.dat`. After the
 * trial, any other entry in them is something the writer left behind.
 */
export class BatchTrial {
  readonly root: string;
  /** The parent of the batch's directories. */
  readonly box: string;
  readonly dirs: string[];
  readonly tmp: string;
  readonly targets: string[];

  constructor(root: string, files = BATCH_FILES, dirs = BATCH_DIRS) {
    this.root = root;
    this.box = path.join(root, 'batch');
    this.dirs = Array.from({ length: dirs }, (_, k) => path.join(this.box, `d${k}`));
    this.tmp = path.join(root, 'tmp');
    this.targets = Array.from({ length: files }, (_, i) => path.join(this.dirs[i % dirs] as string, `f${i}.dat`));
  }

  /** A fresh trial whose files hold `initial` (one per file; undefined: that file does not exist yet). */
  static create(root: string, initial: readonly (Content | undefined)[]): BatchTrial {
    fs.rmSync(root, { recursive: true, force: true });
    const trial = new BatchTrial(root, initial.length);
    for (const dir of [...trial.dirs, trial.tmp]) fs.mkdirSync(dir, { recursive: true });
    initial.forEach((content, i) => {
      if (content) fs.writeFileSync(trial.targets[i] as string, content.bytes);
    });
    return trial;
  }

  /** A file's name as reports show it: `d1/f3.dat`. */
  label(file: string): string {
    return path.relative(this.box, file);
  }

  /** What file i holds: exactly `old`, exactly `fresh`, or torn (missing when absent). */
  held(i: number, old: Content | undefined, fresh: Content): Held {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.targets[i] as string);
    } catch {
      return { kind: 'missing' };
    }
    const hash = sha256Hex(bytes);
    if (old && hash === old.sha256) return { kind: 'old', label: old.label };
    if (hash === fresh.sha256) return { kind: 'new', label: fresh.label };
    return { kind: 'torn', description: describeTorn(bytes, old, [fresh]) };
  }

  /** Entries other than the batch's files in its directories (`d0/.f0.dat.x.tmp`), and anything in $TMPDIR. */
  leftovers(): string[] {
    const left: string[] = [];
    for (const dir of this.dirs)
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (!this.targets.includes(file)) left.push(this.label(file));
      }
    for (const name of fs.readdirSync(this.tmp)) left.push(`${TMPDIR_LABEL}/${name}`);
    return left.sort();
  }

  /** Regular files (with their bytes) and symlinks (with their text) in the batch's directories and $TMPDIR. */
  listing(): { files: Map<string, Buffer>; links: Map<string, string> } {
    const files = new Map<string, Buffer>();
    const links = new Map<string, string>();
    for (const dir of [...this.dirs, this.tmp]) {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        const stat = fs.lstatSync(file);
        if (stat.isSymbolicLink()) links.set(file, fs.readlinkSync(file));
        else if (stat.isFile()) files.set(file, fs.readFileSync(file));
      }
    }
    return { files, links };
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
