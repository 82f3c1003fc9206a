import fs from 'node:fs';
import path from 'node:path';
import type { Content, Held } from './types.js';

export type { Held } from './types.js';
import { sha256Hex } from './contents.js';

export const TARGET_NAME = 'target.dat';
/** How a file left in the trial's $TMPDIR is named in reports. */
export const TMPDIR_LABEL = '$TMPDIR';

/** What the target holds after a trial, judged by hash against the contents in play. */

/**
 * One trial's private directories: the target's directory, holding the target and nothing else,
 * and the writer's own $TMPDIR beside it (on the same file system, so a temp written there can be
 * renamed into place). After the trial, any other entry in either is something the subject left
 * behind (a temp file).
 */
export class TrialDir {
  /** The trial's root: removed whole afterwards. */
  readonly root: string;
  /** The target's directory. */
  readonly dir: string;
  /** The writer's $TMPDIR. */
  readonly tmp: string;
  readonly target: string;

  constructor(root: string) {
    this.root = root;
    this.dir = path.join(root, 'dir');
    this.tmp = path.join(root, 'tmp');
    this.target = path.join(this.dir, TARGET_NAME);
  }

  static create(root: string, initial: Content | undefined): TrialDir {
    fs.rmSync(root, { recursive: true, force: true });
    const trial = new TrialDir(root);
    fs.mkdirSync(trial.dir, { recursive: true });
    fs.mkdirSync(trial.tmp, { recursive: true });
    if (initial) fs.writeFileSync(trial.target, initial.bytes);
    return trial;
  }

  /** Entries other than the target (temp files, lock files), and anything in $TMPDIR: what a subject left behind. */
  leftovers(): string[] {
    const inDir = fs.readdirSync(this.dir).filter((name) => name !== TARGET_NAME);
    const inTmp = fs.readdirSync(this.tmp).map((name) => `${TMPDIR_LABEL}/${name}`);
    return [...inDir, ...inTmp].sort();
  }

  /**
   * What the writer left in both directories, read without following links: regular files with
   * their bytes, symlinks with their text (directories are not listed). The power-loss model takes
   * written bytes from here, and checks that its replay of the trace ends the same way.
   */
  listing(): { files: Map<string, Buffer>; links: Map<string, string> } {
    const files = new Map<string, Buffer>();
    const links = new Map<string, string>();
    for (const dir of [this.dir, this.tmp]) {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        const stat = fs.lstatSync(file);
        if (stat.isSymbolicLink()) links.set(file, fs.readlinkSync(file));
        else if (stat.isFile()) files.set(file, fs.readFileSync(file));
      }
    }
    return { files, links };
  }

  removeLeftovers(names: readonly string[]): void {
    for (const name of names) fs.rmSync(this.pathOf(name), { recursive: true, force: true });
  }

  /** The path of a leftover as `leftovers()` names it. */
  pathOf(name: string): string {
    return name.startsWith(`${TMPDIR_LABEL}/`)
      ? path.join(this.tmp, name.slice(TMPDIR_LABEL.length + 1))
      : path.join(this.dir, name);
  }

  /** Classifies the target: exactly `old`, exactly `fresh`, exactly one of `others`, or torn. */
  held(old: Content | undefined, fresh: Content, others: readonly Content[] = []): Held {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.target);
    } catch {
      return { kind: 'missing' };
    }
    const hash = sha256Hex(bytes);
    if (old && hash === old.sha256) return { kind: 'old', label: old.label };
    if (hash === fresh.sha256) return { kind: 'new', label: fresh.label };
    const other = others.find((content) => content.sha256 === hash);
    if (other) return { kind: 'other_known', label: other.label };
    return { kind: 'torn', description: describeTorn(bytes, old, [fresh, ...others]) };
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Says what a torn target holds in terms a reader can check: sizes and which content it starts with. */
export function describeTorn(bytes: Buffer, old: Content | undefined, written: readonly Content[]): string {
  const size = `${formatBytes(bytes.length)}`;
  if (bytes.length === 0)
    return (
      `empty (0 bytes; old ${old ? formatBytes(old.bytes.length) : 'absent'}, ` +
      `new ${formatBytes(written[0]?.bytes.length ?? 0)})`
    );
  const candidates = [...written, ...(old ? [old] : [])];
  let best: { label: string; prefix: number; total: number } | undefined;
  for (const content of candidates) {
    const prefix = commonPrefix(bytes, content.bytes);
    if (!best || prefix > best.prefix) best = { label: content.label, prefix, total: content.bytes.length };
  }
  const zeros = bytes.every((b) => b === 0);
  if (zeros) return `${size} of zero bytes`;
  if (best && best.prefix > 0) {
    const rest = bytes.length - best.prefix;
    const restNote = rest > 0 ? `, then ${formatBytes(rest)} of something else` : '';
    return (
      `${size}: the first ${formatBytes(best.prefix)} of ${best.label} (${formatBytes(best.total)})${restNote}; ` +
      `sha256 ${sha256Hex(bytes).slice(0, 12)}`
    );
  }
  return `${size} matching no written content; sha256 ${sha256Hex(bytes).slice(0, 12)}`;
}

function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  const block = 4096;
  let i = 0;
  while (i + block <= n && a.compare(b, i, i + block, i, i + block) === 0) i += block;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
