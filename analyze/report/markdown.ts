import type { Phrase } from '../phrase.js';

/**
 * RESULTS.md is GitHub-flavoured Markdown, read on GitHub and in a job summary, and much of what it
 * shows comes from outside writegate: writer, wrapper and hook names, the commands a hook rewrote,
 * commands from session transcripts, writers' and git's stderr, file names, reasons in a row's
 * `detail`, entries of the user's files. Such text must show as written and do nothing: no HTML, no
 * @mention, no link, no emphasis, no table cell or paragraph ended early. Everything that did not come
 * from writegate itself goes through `untrusted()` (or `untrustedInHtml()` inside raw HTML).
 */

/** What a line break inside untrusted text shows as: a new line would end the paragraph or the table row. */
export const NEWLINE_MARK = ' ⏎ ';

/** Every line ending CommonMark knows: LF, CR and CR LF. */
const LINE_ENDING = /\r\n|\r|\n/g;

/**
 * Characters that show nothing or move other text: C0/C1 controls (tab aside), zero-width characters
 * and bidirectional controls, which could make a name look like another or reorder a line as shown.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * Untrusted text on one line with every invisible character spelled out (`⟨U+202E⟩`), so what is shown is what is
 * there.
 */
function visibleLine(text: string): string {
  return text.replace(LINE_ENDING, NEWLINE_MARK).replace(INVISIBLE, (char) => {
    const hex = (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    return `⟨U+${hex}⟩`;
  });
}

/** The longest run of backticks in the text (a loop: a spread of every run could overflow the stack). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return longest;
}

/**
 * Any text from outside writegate, inert and on one line, in a paragraph, a list item, a heading or a
 * GFM table cell (`table()` escapes its `|`; a hand-made table row must escape `|` as `\|` the same way).
 *
 * Why a code span and not an HTML `<code>` element. A code span's content is literal in CommonMark:
 * no HTML, no entity, no backslash escape, no emphasis, no link; GitHub's extended autolinks are
 * only looked for in text, never in code, and GitHub links no @mention, issue reference or emoji
 * inside `<code>`. The content of a raw `<code>…</code>` tag in Markdown, by contrast, is still parsed as
 * Markdown: every character that could start markup would have to be entity-escaped, and an email
 * address or URL spelled out in entities may still be linked once the entities are decoded. The code
 * span is escape-proof when its fence is one backtick longer than the longest run of backticks
 * inside, with a space of padding where the content starts or ends with a backtick (the fence would
 * otherwise run on into it) or starts and ends with a space (CommonMark strips one on each side, so
 * the padding is what it strips). Line endings become ⏎ first: a blank line would end the paragraph
 * and any line ending the table row; characters that show nothing or reorder the line (bidi controls,
 * zero-width ones) are spelled out as `⟨U+202E⟩`. A code span cannot be empty, and one of spaces only is read
 * differently by different parsers (CommonMark keeps its spaces; some strip one each side), so empty
 * or all-space text is written as a `<code>` element around it (GitHub keeps that tag, and spaces are
 * nothing to parse).
 *
 * Inside a GFM table the row is split at every unescaped `|`, code spans included, before any inline
 * parsing, and `\|` then reads as `|` (also inside a code span); so `table()` escapes `|` and nothing
 * else, and the cell shows the original characters. Never put two of these directly side by side:
 * their fences would touch and make one longer run.
 */
export function untrusted(text: string): string {
  const line = visibleLine(text);
  if (/^ *$/.test(line)) return `<code>${line}</code>`;
  const fence = '`'.repeat(longestBacktickRun(line) + 1);
  const pad = /^`|`$/.test(line) || (line.startsWith(' ') && line.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * writegate's own identifiers as inline code (a gate id, a flag, a metric name). The same rendering
 * as `untrusted()`, so a caller that passes a file name or anything else from the input is still safe.
 */
export function code(text: string): string {
  return untrusted(text);
}

/**
 * A value that may be one of writegate's own words (a mode, a scenario id, an engine, a model): one of
 * `vocabulary` is shown as it is, plain; anything else came from the input and goes through `untrusted()`.
 * The vocabulary must be writegate's constants, which hold no markup.
 */
export function word(text: string, vocabulary: Iterable<string>): string {
  for (const known of vocabulary) if (known === text) return text;
  return untrusted(text);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Untrusted text inside raw HTML that Markdown does not parse — an HTML block such as a
 * `<details><summary>…</summary>` line — where a code span would show its backticks. A `<code>` element
 * whose content is entity-escaped: the browser shows the characters, nothing in it is a tag, and GitHub
 * links no @mention inside `<code>`; Markdown autolinks are never looked for in an HTML block. Line
 * endings become ⏎, since a blank line would end the HTML block.
 */
export function untrustedInHtml(text: string): string {
  return `<code>${visibleLine(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string)}</code>`;
}

/**
 * A table cell from Markdown (writegate's wording, with anything from the input already through
 * `untrusted()`): a `|` would split the cell, so it is escaped as `\|` — the table reads `\|` as `|`
 * before any inline parsing, inside code spans too — and a line break, which would end the row, is a
 * space. Nothing else is touched: doubling backslashes would double them inside code spans.
 */
export function cell(text: string): string {
  return text.replace(LINE_ENDING, ' ').replace(/\|/g, '\\|');
}

export type Align = 'left' | 'right';

/** A GitHub-flavoured table; `align` per column, numbers right-aligned by the caller's choice. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const rule = headers.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

/** Joins blocks with one blank line, dropping empty ones. */
export function blocks(...parts: readonly (string | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '').join('\n\n');
}

/**
 * A phrase (analyze/phrase.ts) as Markdown: writegate's words as they are, each piece from the input
 * through untrusted(). Input pieces side by side are rendered as one, so two fences never touch.
 */
export function phraseMarkdown(phrase: Phrase): string {
  let out = '';
  let pending: string | undefined;
  for (const part of phrase) {
    if (typeof part === 'string') {
      if (pending !== undefined) out += untrusted(pending);
      pending = undefined;
      out += part;
    } else pending = (pending ?? '') + part.input;
  }
  return pending === undefined ? out : out + untrusted(pending);
}
