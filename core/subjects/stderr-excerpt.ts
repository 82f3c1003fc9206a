/** How much of a failed writer's stderr a one-line message keeps: its last lines, up to this many characters. */
const LINES = 3;
const CHARS = 300;

/**
 * A failed writer's stderr, on one line for a row's detail and the run's notes: its last non-empty
 * lines (where a traceback names the error), newlines shown as ⏎, and at most CHARS characters, the
 * end kept. '' when it wrote nothing there.
 */
export function stderrExcerpt(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const flat = lines.slice(-LINES).join(' ⏎ ');
  return flat.length > CHARS ? `…${flat.slice(-(CHARS - 1))}` : flat;
}

/** "exit 1: <stderr>", or "exit 1, nothing on stderr": a failure always says what the writer said, even nothing. */
export function failureText(why: string, stderr: string): string {
  const said = stderrExcerpt(stderr);
  return said ? `${why}: ${said}` : `${why}, nothing on stderr`;
}
