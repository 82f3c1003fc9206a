import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * analyze reads a suite's detail only through core/schema's decodeDetail: a regex, a split or a
 * JSON.parse over a detail here is a second contract the suites cannot see, and breaks when they change.
 */
const ANALYZE = path.dirname(fileURLToPath(import.meta.url));

/** Reading a detail apart by hand: a pattern on it, a split of it, JSON.parse of it. */
const PARSING = [
  /\.exec\([^)]*detail/i,
  /\.test\([^)]*detail/i,
  /JSON\.parse\([^)]*detail/i,
  /detail\w*(\?\.|\.)(split|match|matchAll|replace|replaceAll|startsWith|endsWith|search|indexOf)\(/i,
  /\/\^?estimat/i,
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function detailParsing(text: string): string[] {
  return text.split('\n').filter((line) => PARSING.some((pattern) => pattern.test(line)));
}

describe('analyze never parses a detail itself', () => {
  it('finds the forms it forbids', () => {
    expect(detailParsing('const counted = /^(\\d+)\\/(\\d+)$/.exec(row.detail);')).toHaveLength(1);
    expect(detailParsing("for (const part of row.detail.split('; ')) {")).toHaveLength(1);
    expect(detailParsing('const parsed: unknown = JSON.parse(row.detail);')).toHaveLength(1);
    expect(detailParsing("signals.detail.replace(/^missing: /, '')")).toHaveLength(1);
    expect(detailParsing('overheadEstimated: /^ESTIMATED\\b|estimate/i.test(overheadMethod),')).toHaveLength(1);
    expect(detailParsing('const trial = decodeDetail(METRICS.failedTrial, row.detail);')).toEqual([]);
  });

  it('no file under analyze/ does', () => {
    const found = sources(ANALYZE).flatMap((file) =>
      detailParsing(fs.readFileSync(file, 'utf8')).map((line) => `${path.relative(ANALYZE, file)}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
