/**
 * The README and docs/ ship in the npm package, and are read there as often as on GitHub: every relative
 * link must reach a file the package ships (package.json "files"), every #anchor a heading of its file
 * (GitHub's slugs), and every absolute link must be https. CONTRIBUTING.md is read in a clone, so its
 * links need only exist. The README stays short enough for a stranger to read.
 */
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/self-script.js';

const md = new MarkdownIt('default', { html: true });
type Token = ReturnType<MarkdownIt['parse']>[number];

/**
 * GitHub's heading slug: lower case, punctuation dropped (letters, digits, `_`, `-` and spaces kept), spaces to `-`.
 */
function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading's anchor in a markdown text, a repeated one numbered as GitHub does (`x`, `x-1`, …). */
function headingAnchors(text: string): Set<string> {
  const tokens = md.parse(text, {});
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const inline = tokens[i + 1];
    const words = (inline?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    const base = githubSlug(words.trim());
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

/** Every link and image target in a markdown text (not in code), in order. */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  const walk = (tokens: readonly Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') targets.push(token.attrGet('href') ?? '');
      if (token.type === 'image') targets.push(token.attrGet('src') ?? '');
      if (token.children) walk(token.children);
    }
  };
  walk(md.parse(text, {}));
  return targets;
}

/** Whether the package ships a path (relative to the root, `/`-separated), by package.json "files". */
function shippedBy(files: readonly string[], rel: string): boolean {
  return files.some((entry) => {
    const clean = entry.replace(/\/+$/, '');
    return rel === clean || rel.startsWith(`${clean}/`);
  });
}

interface Doc {
  /** Path relative to the root, `/`-separated. */
  file: string;
  text: string;
  /** Every relative link must be shipped by the package (README and docs/), not only exist. */
  mustShip: boolean;
}

/** What is wrong with each link of a doc, one line each naming the file and the link. */
function linkProblems(
  doc: Doc,
  root: string,
  files: readonly string[],
  readFile: (rel: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const href of linkTargets(doc.text)) {
    const where = `${doc.file}: ${href || '(empty link)'}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
      if (!href.startsWith('https://')) problems.push(`${where}: an absolute link must be https`);
      continue;
    }
    const hash = href.indexOf('#');
    const target = hash < 0 ? href : href.slice(0, hash);
    const anchor = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1));
    if (target.startsWith('/')) {
      problems.push(
        `${where}: a root-relative link does not resolve in the package; use a relative path or a full repository URL`,
      );
      continue;
    }
    const rel =
      target === ''
        ? doc.file
        : path.posix.normalize(path.posix.join(path.posix.dirname(doc.file), decodeURIComponent(target)));
    if (rel.startsWith('../') || rel === '..') {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (!fs.existsSync(path.join(root, rel))) {
      problems.push(`${where}: ${rel} does not exist`);
      continue;
    }
    if (doc.mustShip && !shippedBy(files, rel))
      problems.push(`${where}: ${rel} is not in package.json "files", so the package does not ship it`);
    if (anchor !== undefined) {
      const text = rel === doc.file ? doc.text : rel.endsWith('.md') ? readFile(rel) : undefined;
      if (text === undefined) problems.push(`${where}: an anchor into ${rel}, which is not a markdown file`);
      else if (!headingAnchors(text).has(anchor))
        problems.push(`${where}: ${rel} has no heading whose anchor is #${anchor}`);
    }
  }
  return problems;
}

const root = packageRoot;
const packageFiles = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[] })
  .files;
const readRel = (rel: string): string | undefined =>
  fs.existsSync(path.join(root, rel)) ? fs.readFileSync(path.join(root, rel), 'utf8') : undefined;

function docsToCheck(): Doc[] {
  const docsDir = path.join(root, 'docs');
  const pages = fs
    .readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return [
    { file: 'README.md', mustShip: true },
    { file: 'CONTRIBUTING.md', mustShip: false },
    ...pages.map((file) => ({ file, mustShip: true })),
  ].map((doc) => ({ ...doc, text: fs.readFileSync(path.join(root, doc.file), 'utf8') }));
}

describe('links in the README, CONTRIBUTING.md and docs/', () => {
  it('package.json ships the README, CONTRIBUTING.md and docs/', () => {
    for (const rel of ['README.md', 'CONTRIBUTING.md', 'docs/gate.md'])
      expect(shippedBy(packageFiles, rel), rel).toBe(true);
  });

  it('every link resolves inside the package (or is a full https URL) and every anchor names a heading', () => {
    const docs = docsToCheck();
    expect(docs.length).toBeGreaterThan(5);
    const links = docs.reduce((sum, doc) => sum + linkTargets(doc.text).length, 0);
    expect(links).toBeGreaterThan(30);
    expect(docs.flatMap((doc) => linkProblems(doc, root, packageFiles, readRel))).toEqual([]);
  });

  it('the README fits a stranger: at most 250 lines', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect((readme.match(/\n/g) ?? []).length).toBeLessThanOrEqual(250);
  });

  it(
    'the check catches a missing file, an unshipped one, a wrong anchor, an ' +
      'http link and a link out of the package',
    () => {
      const text = [
        '# Top',
        '## On real file systems (`--fs`)',
        '[ok](#top) [ok](#on-real-file-systems---fs) [ok](bench/README.md#rows-suite-bench) ' +
          '[ok](https://github.com/writegate/writegate)',
        '[missing](docs/no-such-page.md) [unshipped](.ci/run) [anchor](#no-such-heading) [anchor](bench/README.md#nope)',
        '[http](http://example.com) [out](../elsewhere.md) [root](/README.md)',
        '```',
        '[not a link in code](nowhere.md)',
        '```',
      ].join('\n');
      const problems = linkProblems({ file: 'README.md', text, mustShip: true }, root, packageFiles, readRel);
      expect(problems.map((line) => line.split(': ')[1])).toEqual([
        'docs/no-such-page.md',
        '.ci/run',
        '#no-such-heading',
        'bench/README.md#nope',
        'http://example.com',
        '../elsewhere.md',
        '/README.md',
      ]);
      // The same unshipped file is fine where only existence counts (CONTRIBUTING.md is read in a clone).
      expect(
        linkProblems({ file: 'CONTRIBUTING.md', text: '[ci](.ci/run)', mustShip: false }, root, packageFiles, readRel),
      ).toEqual([]);
    },
  );

  it('slugs headings as GitHub does', () => {
    expect(githubSlug('On real file systems (`--fs`)'.replace(/`/g, ''))).toBe('on-real-file-systems---fs');
    expect(githubSlug('compare: base against head of your own tool')).toBe(
      'compare-base-against-head-of-your-own-tool',
    );
    expect([...headingAnchors('# A\n## A\n### A. b')]).toEqual(['a', 'a-1', 'a-b']);
  });
});
