/**
 * A strict reader of the GitHub-flavoured tables writegate writes, for tests: a header row, a rule
 * row of `---` or `---:` per column, then rows with exactly as many cells. Cells split at every `|`
 * not escaped as `\|` (GFM splits inside code spans too) and are trimmed; `\|` reads back as `|`.
 * Anything else throws, naming the line.
 */
export interface ParsedTable {
  headers: string[];
  rows: string[][];
}

function cells(line: string, at: number): string[] {
  if (!line.startsWith('| ') || !line.endsWith(' |'))
    throw new Error(`table: line ${at + 1} is not a table row: ${JSON.stringify(line)}`);
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** A block that is exactly one table: header, rule, rows. */
export function parseMarkdownTable(block: string): ParsedTable {
  const lines = block.split('\n');
  const headers = cells(lines[0] ?? '', 0);
  const rule = lines[1] ?? '';
  if (!new RegExp(`^\\|(?:-{3}:?\\|){${headers.length}}$`).test(rule))
    throw new Error(`table: line 2 is not a rule of ${headers.length} columns: ${JSON.stringify(rule)}`);
  const rows = lines.slice(2).map((line, index) => {
    const row = cells(line, index + 2);
    if (row.length !== headers.length)
      throw new Error(
        `table: line ${index + 3} has ${row.length} cells for ${headers.length} columns: ${JSON.stringify(line)}`,
      );
    return row;
  });
  return { headers, rows };
}

/** The table right after a heading line (`### …`) in a Markdown text; throws when there is none. */
export function tableAfter(markdown: string, heading: string): ParsedTable {
  const at = markdown.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`table: no heading ${JSON.stringify(heading)}`);
  const rest = markdown.slice(at + heading.length + 2).replace(/^\n+/, '');
  const end = rest.indexOf('\n\n');
  return parseMarkdownTable(end < 0 ? rest : rest.slice(0, end));
}
