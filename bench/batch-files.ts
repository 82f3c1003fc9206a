/**
 * The batch scenario's files: two seeded versions of each file's content, written once as sources, and
 * target trees (K directories, files round robin) that each arm of each subject writes into.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededPayload } from '../core/rng.js';
import type { BatchFile } from '../core/subjects/types.js';
import { payloadSeed } from './payloads.js';
import type { BatchShape } from './types.js';

/** Version 0 and 1 of every file: repetitions alternate them, so every write of a file is a real change. */
export interface BatchVersions {
  /** By version, then by file: what a source holds (and the target should after that version's write). */
  contents: readonly [readonly Buffer[], readonly Buffer[]];
  /** By version, then by file: the source file holding that content. */
  sources: readonly [readonly string[], readonly string[]];
}

/** Seeds for batch files stay apart from the write scenario's (their variants are 0..2 and retries of them). */
const BATCH_VARIANT_BASE = 1_000_000;

/** Writes both versions' sources into `dir`; every file's two versions differ. */
export function batchVersions(dir: string, shape: BatchShape, seed: number): BatchVersions {
  fs.mkdirSync(dir, { recursive: true });
  const contents: [Buffer[], Buffer[]] = [[], []];
  const sources: [string[], string[]] = [[], []];
  for (let file = 0; file < shape.files; file++) {
    for (const version of [0, 1] as const) {
      let variant = BATCH_VARIANT_BASE + 2 * file + version;
      let content = seededPayload(payloadSeed(seed, shape.fileBytes, variant), shape.fileBytes);
      // A 1-byte file has 256 values: make sure the second version is not the first.
      while (version === 1 && content.equals(contents[0][file] as Buffer)) {
        variant += 2 * shape.files;
        content = seededPayload(payloadSeed(seed, shape.fileBytes, variant), shape.fileBytes);
      }
      const source = path.join(dir, `v${version}-${file}.bin`);
      fs.writeFileSync(source, content);
      contents[version].push(content);
      sources[version].push(source);
    }
  }
  return { contents, sources };
}

/** One target tree: its K directories and the target of each file (file i in directory i mod K). */
export interface BatchTree {
  dirs: string[];
  targets: string[];
}

/** Makes the K directories under `root`; targets do not exist yet (the warm-up creates them). */
export function batchTree(root: string, shape: BatchShape): BatchTree {
  const dirs = Array.from({ length: shape.dirs }, (_, d) => path.join(root, `d${d}`));
  for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
  const targets = Array.from({ length: shape.files }, (_, i) =>
    path.join(dirs[i % shape.dirs] as string, `file-${i}.bin`),
  );
  return { dirs, targets };
}

/** The batch that writes `version` of every file into `tree`. */
export function batchFiles(tree: BatchTree, versions: BatchVersions, version: 0 | 1): BatchFile[] {
  return tree.targets.map((target, i) => ({
    target,
    source: versions.sources[version][i] as string,
    content: versions.contents[version][i] as Buffer,
  }));
}

/** The first target that does not hold `version`, with what it holds instead; undefined when all do. */
export function treeProblem(tree: BatchTree, versions: BatchVersions, version: 0 | 1): string | undefined {
  for (const [i, target] of tree.targets.entries()) {
    let held: Buffer;
    try {
      held = fs.readFileSync(target);
    } catch (error) {
      return `file ${i + 1} of ${tree.targets.length} is not readable (${(error as Error).message})`;
    }
    if (held.equals(versions.contents[version][i] as Buffer)) continue;
    const other = held.equals(versions.contents[version === 0 ? 1 : 0][i] as Buffer);
    const found = other ? 'the previous version' : `${held.length} bytes of neither version`;
    return `file ${i + 1} of ${tree.targets.length} holds ${found} instead of the one just written`;
  }
  return undefined;
}
