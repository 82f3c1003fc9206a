/**
 * untrusted() against a real GFM parser (markdown-it, html and linkify on): whatever the text, it comes
 * out as exactly one <code> element holding the text as written (line breaks as ⏎), in a paragraph, a
 * list item, a heading and a table cell beside other cells, and nothing else in the output is a tag, a
 * link or an @ outside that element. untrustedInHtml() likewise inside a <details><summary> HTML block.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/rng.js';
import { input } from '../phrase.js';
import { cell, code, NEWLINE_MARK, phraseMarkdown, table, untrusted, untrustedInHtml } from './markdown.js';

const md = new MarkdownIt('default', { html: true, linkify: true });

/** Characters that mean something somewhere in Markdown or HTML, drawn far more often than letters. */
const CHARACTERS = [
  '`',
  '`',
  '`',
  '|',
  '|',
  '<',
  '>',
  '&',
  '@',
  '\\',
  '\\',
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '\n',
  '\r\n',
  '\r',
  ':',
  ' ',
  ' ',
  '#',
  '!',
  '~',
  '$',
  '"',
  "'",
  '/',
  '.',
  '=',
  '-',
  '+',
  '\t',
  'a',
  'b',
  'x',
  'Z',
  '0',
  'é',
  '⏎',
  '\u202E',
  '\u200B',
  '\u0007',
  '\u0000',
];
/** Whole pieces of markup, so that the random strings hold real tags, links, mentions and fences. */
const PIECES = [
  'www.evil.example',
  'https://evil.example/x?y=1',
  'mailto:a@b.example',
  'user@example.com',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="https://evil.example">x</a>',
  '</code>',
  '<code>',
  '<!--',
  '-->',
  '@octocat',
  '&amp;',
  '&#64;',
  '&lt;',
  '``',
  '```',
  '````',
  '\\|',
  '|---|---|',
  '\n\n',
  '\n- ',
  '\n> ',
  '\n# ',
  ':smile:',
  '#123',
  '[x](https://evil.example)',
  '![x](https://evil.example/i.png)',
  '**bold**',
  '$x$',
];
const NASTY = [
  '``',
  '`',
  '` `',
  ' `x` ',
  '<img src=x onerror=alert(1)>',
  '@octocat',
  'a|b',
  'x\\|y',
  'trailing\\',
  '\\',
  '```code```',
  'https://evil.example',
  '',
  ' ',
  '   ',
  ' a ',
  '\n',
  'a\r\nb\rc\nd',
  '|',
  '||',
  '\\\\|',
  '<details><summary>x</summary>',
  '</td></tr></table><img src=x>',
];

function randomString(random: () => number): string {
  const length = Math.floor(random() * 24);
  let text = '';
  for (let i = 0; i < length; i++) {
    const pool = random() < 0.8 ? CHARACTERS : PIECES;
    text += pool[Math.floor(random() * pool.length)];
  }
  return text;
}

/** The text a reader should see: the input with its line breaks as the marker. */
function expected(text: string): string {
  const spelled = (char: string) =>
    `⟨U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}⟩`;
  return text
    .replace(/\r\n|\r|\n/g, NEWLINE_MARK)
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g,
      spelled,
    );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? entity;
  });
}

interface Tag {
  name: string;
  close: boolean;
  start: number;
  end: number;
}

/** Every tag in markdown-it's output. Its text is escaped, so every `<` there starts a tag; the caller checks that. */
function tagsOf(html: string): Tag[] {
  return [...html.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>/g)].map((m) => ({
    name: (m[2] as string).toLowerCase(),
    close: m[1] === '/',
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * The one <code> element in `html` (between `from` and `to`), checked: exactly one, its text the
 * expected one, no other tag than `allowed` anywhere, no `<` that is not a tag, no `@` outside it.
 */
function checkOneCode(html: string, text: string, allowed: ReadonlySet<string>, context: string): void {
  const tags = tagsOf(html);
  const where = `${context} ${JSON.stringify(text)} → ${JSON.stringify(html)}`;
  expect(html.split('<').length - 1, `every < is a tag: ${where}`).toBe(tags.length);
  expect(
    tags.filter((tag) => !allowed.has(tag.name)),
    `no other tag: ${where}`,
  ).toEqual([]);
  const opens = tags.filter((tag) => tag.name === 'code' && !tag.close);
  const closes = tags.filter((tag) => tag.name === 'code' && tag.close);
  expect([opens.length, closes.length], `one <code>: ${where}`).toEqual([1, 1]);
  const open = opens[0] as Tag;
  const close = closes[0] as Tag;
  expect(open.end <= close.start, where).toBe(true);
  expect(decode(html.slice(open.end, close.start)), `text: ${where}`).toBe(expected(text));
  const outside = html.slice(0, open.start) + html.slice(close.end);
  expect(outside.includes('@'), `no @ outside <code>: ${where}`).toBe(false);
  expect(/<(img|a|script)\b/i.test(outside), `no img, a or script: ${where}`).toBe(false);
}

/** The cells of each body row of the one table in `html`, as their inner HTML. */
function bodyCells(html: string): string[][] {
  const body = /<tbody>\n([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>\n([\s\S]*?)<\/tr>\n/g)].map((row) =>
    [...(row[1] as string).matchAll(/<td>([\s\S]*?)<\/td>\n/g)].map((c) => c[1] as string),
  );
}

const PARAGRAPH = new Set(['p', 'code']);
const LIST = new Set(['ul', 'li', 'code']);
const HEADING = new Set(['h3', 'code']);
const TABLE = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'code']);
const DETAILS = new Set(['details', 'summary', 'p', 'code']);

function checkEverywhere(text: string): void {
  const shown = untrusted(text);

  const paragraph = md.render(`Before ${shown} after.`);
  checkOneCode(paragraph, text, PARAGRAPH, 'paragraph');
  expect(paragraph.startsWith('<p>Before <code>') && paragraph.endsWith('</code> after.</p>\n'), paragraph).toBe(true);

  const list = md.render(`- ${shown}: reason`);
  checkOneCode(list, text, LIST, 'list item');
  expect(list.startsWith('<ul>\n<li><code>') && list.endsWith('</code>: reason</li>\n</ul>\n'), list).toBe(true);

  const heading = md.render(`### 1 KiB · ${shown}`);
  checkOneCode(heading, text, HEADING, 'heading');

  const grid = md.render(table(['left', 'middle', 'right'], [['a', shown, 'z']]));
  checkOneCode(grid, text, TABLE, 'table');
  expect(bodyCells(grid), grid).toHaveLength(1);
  const cells = bodyCells(grid)[0] as string[];
  expect(cells, grid).toHaveLength(3);
  expect([cells[0], cells[2]], grid).toEqual(['a', 'z']);
  expect(/^<code>[\s\S]*<\/code>$/.test(cells[1] as string), grid).toBe(true);

  const summary = md.render(`<details><summary>${untrustedInHtml(text)} — status</summary>\n\nBody.\n\n</details>\n`);
  checkOneCode(summary, text, DETAILS, 'summary');
}

describe('untrusted() under a GFM parser', () => {
  it('the fixed nasty strings', () => {
    for (const text of NASTY) checkEverywhere(text);
  });

  it('2000 seeded random strings of markup characters', () => {
    const random = seededRandom(20260301);
    for (let i = 0; i < 2000; i++) checkEverywhere(randomString(random));
  });

  it('two untrusted strings side by side in one row keep their own cells', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 300; i++) {
      const texts = [randomString(random), randomString(random), randomString(random)];
      const grid = md.render(table(['one', 'two', 'three'], [texts.map(untrusted), ['x', 'y', 'z']]));
      const rows = bodyCells(grid);
      expect(
        rows.map((row) => row.length),
        grid,
      ).toEqual([3, 3]);
      texts.forEach((text, column) => checkOneCode(`<td>${rows[0]?.[column]}</td>`, text, TABLE, `column ${column}`));
      expect(rows[1], grid).toEqual(['x', 'y', 'z']);
    }
  });
});

describe('untrusted() examples', () => {
  it('a fence longer than any backtick run inside, padded where the text starts or ends with a backtick', () => {
    expect(untrusted('git status')).toBe('`git status`');
    expect(untrusted('a `b` c')).toBe('``a `b` c``');
    expect(untrusted('``')).toBe('``` `` ```');
    expect(untrusted('`x')).toBe('`` `x ``');
    expect(untrusted(' a ')).toBe('`  a  `');
    expect(untrusted('')).toBe('<code></code>');
    expect(untrusted('  ')).toBe('<code>  </code>');
  });

  it('a line break is shown as ⏎ and cannot end the paragraph or the row', () => {
    expect(untrusted('cat <<EOF\nhi\r\nEOF')).toBe('`cat <<EOF ⏎ hi ⏎ EOF`');
    expect(md.render(`- ${untrusted('a\n\n# b')}`)).toBe('<ul>\n<li><code>a ⏎  ⏎ # b</code></li>\n</ul>\n');
  });

  it("a phrase keeps writegate's words as text and renders the input's pieces inert, side by side as one span", () => {
    expect(phraseMarkdown(['needs ', input('<b>'), ' (', input('a`'), input('b'), ')'])).toBe('needs `<b>` (``a`b``)');
    expect(phraseMarkdown([])).toBe('');
  });

  it('characters that show nothing or reorder the line are spelled out', () => {
    expect(untrusted('safe\u202Etxt.exe')).toBe('`safe⟨U+202E⟩txt.exe`');
    expect(untrusted('mine\u200B')).toBe('`mine⟨U+200B⟩`');
    expect(untrustedInHtml('a\u2066b')).toBe('<code>a⟨U+2066⟩b</code>');
  });

  it('HTML, a mention and a link stay text inside <code>', () => {
    expect(md.render(`x ${untrusted('<img src=x onerror=alert(1)> @octocat https://evil.example')}`)).toBe(
      '<p>x <code>&lt;img src=x onerror=alert(1)&gt; @octocat https://evil.example</code></p>\n',
    );
  });

  it('in a table, a pipe stays in its cell and a backslash is not doubled', () => {
    expect(cell(untrusted('x\\|y'))).toBe('`x\\\\|y`');
    const grid = md.render(table(['subject', 'p50'], [[untrusted('a|b\\'), '1.00']]));
    expect(bodyCells(grid)).toEqual([['<code>a|b\\</code>', '1.00']]);
  });

  it('code() renders the same way, so a file name passed to it is safe too', () => {
    for (const text of NASTY) expect(code(text)).toBe(untrusted(text));
  });

  it('untrustedInHtml escapes for raw HTML', () => {
    expect(untrustedInHtml(`<b>"x" & 'y'</b>\n@z`)).toBe(
      '<code>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt; ⏎ @z</code>',
    );
  });
});
