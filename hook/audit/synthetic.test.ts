import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiles, type AuditResult } from './index.js';
import {
  syntheticCorpus,
  type SyntheticCorpus,
  type SyntheticCoverage,
} from '../../test/fixtures/hooks/synthetic-sessions.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-audit-synthetic-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function audit(corpus: SyntheticCorpus, seed: number): Promise<{ result: AuditResult; paths: string[] }> {
  const base = path.join(dir, `seed-${seed}`);
  fs.mkdirSync(base, { recursive: true });
  const paths = corpus.files.map((file) => {
    const target = path.join(base, file.name);
    fs.writeFileSync(target, file.text);
    return target;
  });
  return { result: await auditFiles(paths), paths };
}

const byId = <T extends { toolUseId: string }>(list: readonly T[]) =>
  [...list].sort((a, b) => (a.toolUseId < b.toolUseId ? -1 : 1));

describe('the audit proxy on synthetic sessions with known figures', () => {
  const coverage: SyntheticCoverage[] = [];

  it.each(SEEDS)('reproduces every figure of seed %i exactly', async (seed) => {
    const corpus = syntheticCorpus({ seed });
    const { result, paths } = await audit(corpus, seed);
    expect(result.files).toEqual(
      corpus.files.map((file, i) => ({
        path: paths[i],
        kind: file.kind,
        lines: file.lines,
        malformed: file.malformed,
      })),
    );
    expect(result.bashCalls).toBe(corpus.expected.bashCalls);
    expect(result.joined).toBe(corpus.expected.joined);
    expect(result.rewritten).toEqual(corpus.expected.rewritten);
    expect(result.native).toEqual(corpus.expected.native);
    expect(result.byClass).toEqual(corpus.expected.byClass);
    // Same findings in the same order: sessions by their first call, whatever the order of the files.
    expect(result.findings).toEqual(corpus.expected.findings);
    coverage.push(corpus.coverage);
  });

  it('exercised every tricky case across the seeds', () => {
    expect(coverage).toHaveLength(SEEDS.length);
    const sum = (pick: (c: SyntheticCoverage) => number) => coverage.reduce((total, c) => total + pick(c), 0);
    // Retries at every distance inside the window, and repeats one call past it.
    for (const distance of [1, 2, 3]) expect(sum((c) => c.retriesAtDistance[distance] ?? 0)).toBeGreaterThan(0);
    expect(sum((c) => c.nearMisses)).toBeGreaterThan(0);
    expect(sum((c) => c.handTypedRewrites)).toBeGreaterThan(0);
    expect(sum((c) => c.respacedRetries)).toBeGreaterThan(0);
    expect(sum((c) => c.splitSessions)).toBeGreaterThan(0);
    // The like-for-like restriction mattered: some seeds leave native calls of never-rewritten classes out.
    expect(coverage.filter((c) => c.excludedNativeCalls > 0).length).toBeGreaterThan(0);
  });

  it('the file order does not change any figure', async () => {
    const corpus = syntheticCorpus({ seed: 3 });
    const reversed = { ...corpus, files: [...corpus.files].reverse() };
    const { result } = await audit(reversed, 1003);
    expect(result.rewritten).toEqual(corpus.expected.rewritten);
    expect(result.native).toEqual(corpus.expected.native);
    expect(byId(result.findings)).toEqual(byId(corpus.expected.findings));
  });

  it('the generator is deterministic and the seed matters', () => {
    expect(syntheticCorpus({ seed: 5 })).toEqual(syntheticCorpus({ seed: 5 }));
    expect(syntheticCorpus({ seed: 5 }).files).not.toEqual(syntheticCorpus({ seed: 6 }).files);
  });

  it('the transcripts alone join nothing', async () => {
    const corpus = syntheticCorpus({ seed: 7 });
    const { result } = await audit(
      { ...corpus, files: corpus.files.filter((file) => file.kind === 'transcript') },
      1007,
    );
    expect(result.bashCalls).toBe(corpus.expected.bashCalls);
    expect(result.joined).toBe(0);
    expect(result.rewritten.calls + result.native.calls + result.findings.length).toBe(0);
  });
});
