/**
 * A small reader of bash command lines, just deep enough to find every simple command a line would
 * run: quotes (single, double, `$'…'`), escapes and line continuations, `&&`/`||`/`;`/`|`/`&`/newlines,
 * subshells and `{ …; }` groups, `$(…)`, backticks and `<(…)` (their commands run too, also inside
 * double quotes and unquoted heredoc bodies), redirections, heredoc bodies (text, not commands),
 * comments, `if`/`while`/`for` keywords and `[[ … ]]`. It never expands anything: `$HOME` stays `$HOME`.
 * `shell-quote` was not enough for this: it treats newlines as spaces, splits backticks into words,
 * reads heredoc bodies as words, keeps `$(…)` as plain text and accepts an unbalanced quote silently.
 */

export interface ShellWord {
  /** The word as written, quotes and all. */
  source: string;
  /** The word after quote removal; expansions stay as written (`$HOME`, `$(date)`). */
  value: string;
  /** Part of the word was quoted or escaped: such a word is never a keyword or an assignment. */
  quoted: boolean;
}

export interface ShellRedirect {
  /** `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, `>&`, `<&`, `<`, `<<`, `<<-` or `<<<`. */
  op: string;
  /** The file descriptor written before the operator (`2` in `2>&1`), if any. */
  fd: number | undefined;
  /** The file, descriptor or heredoc delimiter after the operator. */
  target: ShellWord;
}

export interface SimpleCommand {
  kind: 'simple';
  /** The command's own text: words and redirections, without heredoc bodies. */
  source: string;
  words: ShellWord[];
  redirects: ShellRedirect[];
}

/** A construct the reader recognises but does not look into (a function definition). */
export interface OpaqueCommand {
  kind: 'opaque';
  source: string;
  reason: string;
}

export type ShellCommand = SimpleCommand | OpaqueCommand;

/** The line is not valid shell (bash would refuse to run it) or uses syntax this reader does not follow. */
export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
}

/**
 * Every command the line would run, in reading order: a command first, then those its `$(…)` and heredoc bodies run.
 */
export function parseShell(line: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  new Reader(line, commands).readAll();
  return commands;
}

/** Keywords after which a command follows directly (`then git pull`); the commands they frame are read as usual. */
const OPENING_WORDS = new Set(['{', '!', 'if', 'then', 'elif', 'else', 'do', 'while', 'until']);
/** Keywords that close a compound command, which may carry redirections (`done > out.txt`). */
const CLOSING_WORDS = new Set(['}', 'fi', 'done']);
/** Words whose own arguments are not a command (`for f in a b; do`). */
const LOOP_HEADS = new Set(['for', 'select']);
const REDIRECT_OPS = ['&>>', '<<<', '<<-', '&>', '>>', '>&', '>|', '<<', '<&', '<>', '>', '<'];
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** What came last in a list: a command (or a compound one just closed) needs an operator before the next. */
type Last = 'start' | 'command' | 'closed' | 'separator' | 'operator';

interface PendingHeredoc {
  delimiter: ShellWord;
  stripTabs: boolean;
}

class Reader {
  private pos = 0;
  private pending: PendingHeredoc[] = [];

  constructor(
    private readonly src: string,
    private readonly out: ShellCommand[],
  ) {}

  readAll(): void {
    this.readList(undefined);
  }

  /** Reads commands and operators until `)` (inside `( … )` or `$( … )`) or the end of the text. */
  private readList(closing: ')' | undefined): void {
    let last: Last = 'start';
    const expectCommand = (what: string) => {
      if (last !== 'command' && last !== 'closed') throw new ShellSyntaxError(`unexpected ${what}`);
    };
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined) {
        if (closing) throw new ShellSyntaxError(`missing ${closing}`);
        if (last === 'operator') throw new ShellSyntaxError('the line ends after an operator');
        return;
      }
      if (c === ')') {
        if (!closing || last === 'operator' || last === 'start') throw new ShellSyntaxError('unexpected )');
        this.pos++;
        return;
      }
      if (c === '\n') {
        this.pos++;
        this.readHeredocBodies();
        if (last === 'command' || last === 'closed') last = 'separator';
        continue;
      }
      if (c === ';') {
        if (this.startsWith(';;')) throw new ShellSyntaxError('unexpected ;; (case statements are not read)');
        expectCommand(';');
        this.pos++;
        last = 'separator';
        continue;
      }
      const op = ['&&', '||', '|&', '|'].find((candidate) => this.startsWith(candidate));
      if (op) {
        expectCommand(op);
        this.pos += op.length;
        last = 'operator';
        continue;
      }
      if (c === '&' && !this.startsWith('&>')) {
        expectCommand('&');
        this.pos++;
        last = 'separator';
        continue;
      }
      const redirectsOnly = last === 'closed' && /^\d*(<|>|&>)/.test(this.src.slice(this.pos));
      if ((last === 'command' || last === 'closed') && !redirectsOnly) {
        throw new ShellSyntaxError(`unexpected text after a command: ${this.src.slice(this.pos, this.pos + 20)}`);
      }
      if (this.startsWith('((')) {
        this.skipArithmetic(2);
        last = 'closed';
      } else if (c === '(') {
        this.pos++;
        this.readList(')');
        last = 'closed';
      } else {
        last = this.readCommand();
      }
    }
  }

  /**
   * One simple command, up to the next operator or newline; or a keyword. Returns what the list has
   * seen: `start` after an opening keyword, `closed` after a closing one, else `command`.
   */
  private readCommand(): Last {
    const start = this.pos;
    const slot = this.out.length;
    const words: ShellWord[] = [];
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.peek();
      if (c === undefined || c === '\n' || c === ';' || c === ')' || (c === '&' && !this.startsWith('&>')) || c === '|')
        break;
      if (c === '#') {
        this.skipComment();
        continue;
      }
      if (c === '(') {
        if (words.length === 1 && /^\(\s*\)/.test(this.src.slice(this.pos))) {
          this.out.splice(slot, 0, {
            kind: 'opaque',
            source: this.src.slice(start).trim(),
            reason: 'a shell function definition',
          });
          this.pos = this.src.length;
          return 'command';
        }
        throw new ShellSyntaxError('unexpected (');
      }
      const redirect = this.tryRedirect();
      if (redirect) {
        redirects.push(redirect);
        continue;
      }
      const word = this.readWord();
      if (words.length === 0 && redirects.length === 0 && !word.quoted) {
        if (OPENING_WORDS.has(word.value)) return 'start';
        // the `time ( … )` keyword
        if (word.value === 'time' && /^[ \t]*\(/.test(this.src.slice(this.pos))) return 'start';
        if (CLOSING_WORDS.has(word.value)) return 'closed';
        if (word.value === '[[') {
          words.push(word, ...this.readTestWords());
          break;
        }
        if (word.value === 'case') throw new ShellSyntaxError('case statements are not read');
        if (word.value === 'function') {
          this.out.splice(slot, 0, {
            kind: 'opaque',
            source: this.src.slice(start).trim(),
            reason: 'a shell function definition',
          });
          this.pos = this.src.length;
          return 'command';
        }
      }
      words.push(word);
    }
    const head = words[0];
    if (head && !head.quoted && LOOP_HEADS.has(head.value)) return 'command';
    if (words.length === 0 && redirects.length === 0) return 'command';
    this.out.splice(slot, 0, { kind: 'simple', source: this.src.slice(start, this.pos).trim(), words, redirects });
    return 'command';
  }

  /** `[[ … ]]`: inside, `<`, `>`, `&&`, `(` are comparison and grouping, not shell operators. */
  private readTestWords(): ShellWord[] {
    const words: ShellWord[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() === undefined) throw new ShellSyntaxError('missing ]]');
      if (this.startsWith(']]') && (this.peek(2) === undefined || WORD_END.has(this.peek(2)!))) {
        this.pos += 2;
        words.push({ source: ']]', value: ']]', quoted: false });
        return words;
      }
      const operator = /^[<>()&|!=]+/.exec(this.src.slice(this.pos));
      if (operator) {
        this.pos += operator[0].length;
        words.push({ source: operator[0], value: operator[0], quoted: false });
      } else {
        words.push(this.readWord());
      }
    }
  }

  private tryRedirect(): ShellRedirect | undefined {
    const rest = this.src.slice(this.pos);
    const match = /^(\d*)(&>>|<<<|<<-|&>|>>|>&|>\||<<|<&|<>|>|<)/.exec(rest);
    if (!match) return undefined;
    const [whole, digits, op] = match as unknown as [string, string, string];
    // process substitution
    if ((op === '<' || op === '>') && rest[whole.length] === '(' && digits === '') return undefined;
    if (!REDIRECT_OPS.includes(op)) return undefined;
    this.pos += whole.length;
    this.skipSpaces();
    const next = this.peek();
    if (next === undefined || next === '\n' || WORD_END.has(next))
      throw new ShellSyntaxError(`${op} has nothing after it`);
    const target = this.readWord();
    if (op === '<<' || op === '<<-') this.pending.push({ delimiter: target, stripTabs: op === '<<-' });
    return { op, fd: digits === '' ? undefined : Number(digits), target };
  }

  /** One word up to an unquoted blank or operator character, with its quotes removed. */
  private readWord(): ShellWord {
    const start = this.pos;
    let value = '';
    let quoted = false;
    if ((this.peek() === '<' || this.peek() === '>') && this.peek(1) === '(') {
      this.pos += 2;
      this.readList(')');
      const text = this.src.slice(start, this.pos);
      return { source: text, value: text, quoted: false };
    }
    for (;;) {
      const c = this.peek();
      if (c === undefined || WORD_END.has(c)) break;
      if (c === '\\') {
        const next = this.peek(1);
        this.pos += 2;
        if (next === '\n') continue;
        if (next !== undefined) value += next;
        quoted = true;
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("unbalanced '");
        value += this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
        quoted = true;
      } else if (c === '"') {
        this.pos++;
        value += this.readDoubleQuoted();
        quoted = true;
      } else if (c === '$' && this.peek(1) === "'") {
        this.pos += 2;
        value += this.readAnsiC();
        quoted = true;
      } else if (c === '$' && this.peek(1) === '"') {
        this.pos += 2;
        value += this.readDoubleQuoted();
        quoted = true;
      } else {
        value += this.readExpansionOr(c, false);
      }
    }
    if (this.pos === start) throw new ShellSyntaxError(`unexpected ${this.peek() ?? 'end of line'}`);
    return { source: this.src.slice(start, this.pos), value, quoted };
  }

  /**
   * `$…` or a backtick command, which run in a bare word and inside double quotes alike; else the
   * character itself.
   */
  private readExpansionOr(c: string, inDoubleQuotes: boolean): string {
    if (c === '$') return this.readDollar();
    if (c === '`') return this.readBackticks(inDoubleQuotes);
    this.pos++;
    return c;
  }

  /** After the opening `"`: up to the closing one. `$…` and backticks inside still run. */
  private readDoubleQuoted(): string {
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError('unbalanced "');
      if (c === '"') {
        this.pos++;
        return value;
      }
      if (c === '\\') {
        const next = this.peek(1);
        if (next !== undefined && '$`"\\'.includes(next)) value += next;
        else if (next !== '\n') value += c + (next ?? '');
        this.pos += 2;
      } else {
        value += this.readExpansionOr(c, true);
      }
    }
  }

  /** After `$'`: bash's ANSI-C quoting, where `\'` is a quote and `\n` a newline. */
  private readAnsiC(): string {
    const escapes: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '?': '?',
    };
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError("unbalanced $'");
      if (c === "'") {
        this.pos++;
        return value;
      }
      if (c !== '\\') {
        value += c;
        this.pos++;
        continue;
      }
      const rest = this.src.slice(this.pos + 1);
      const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
      const octal = /^([0-7]{1,3})/.exec(rest);
      if (hex) {
        value += String.fromCharCode(parseInt(hex[1]!, 16));
        this.pos += 1 + hex[0].length;
      } else if (octal) {
        value += String.fromCharCode(parseInt(octal[1]!, 8));
        this.pos += 1 + octal[0].length;
      } else {
        const next = rest[0];
        value += next === undefined ? '\\' : (escapes[next] ?? `\\${next}`);
        this.pos += 2;
      }
    }
  }

  /** At a `$`: returns the expansion as written; `$(…)` and `${…}` have their inner commands read. */
  private readDollar(): string {
    const start = this.pos;
    if (this.startsWith('$((')) {
      this.skipArithmetic(3);
    } else if (this.startsWith('$(')) {
      this.pos += 2;
      this.readList(')');
    } else if (this.startsWith('${')) {
      this.pos += 2;
      this.readBraceExpansion();
    } else {
      const name = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-])/.exec(this.src.slice(this.pos));
      this.pos += name ? name[0].length : 1;
    }
    return this.src.slice(start, this.pos);
  }

  /** After `${`: up to its `}`; quotes and nested expansions inside are followed. */
  private readBraceExpansion(): void {
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError('unbalanced ${');
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        this.readDoubleQuoted();
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("unbalanced '");
        this.pos = end + 1;
      } else if (c === '$') this.readDollar();
      else if (c === '`') this.readBackticks(false);
      else this.pos++;
    }
  }

  /** `$((…))` or `((…))`: arithmetic, not a command; skipped to the matching `))`. */
  private skipArithmetic(openLength: number): void {
    this.pos += openLength;
    let depth = 2;
    while (depth > 0) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError('unbalanced ((');
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '$' && this.peek(1) === '(' && this.peek(2) !== '(') {
        this.pos += 2;
        this.readList(')');
        continue;
      }
      this.pos++;
    }
  }

  /** At a backtick: the old form of `$(…)`; its text is unescaped and read as a command line of its own. */
  private readBackticks(inDoubleQuotes: boolean): string {
    const start = this.pos;
    this.pos++;
    let inner = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError('unbalanced `');
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const next = this.peek(1);
        const unescaped = next !== undefined && ('$`\\'.includes(next) || (inDoubleQuotes && next === '"'));
        inner += unescaped ? next : c + (next ?? '');
        this.pos += 2;
        continue;
      }
      inner += c;
      this.pos++;
    }
    new Reader(inner, this.out).readAll();
    return this.src.slice(start, this.pos);
  }

  /** After a newline: the bodies of the heredocs opened on the line before, in order. */
  private readHeredocBodies(): void {
    const pending = this.pending;
    this.pending = [];
    for (const heredoc of pending) {
      const delimiter = heredoc.delimiter.value;
      let body = '';
      for (;;) {
        if (this.pos >= this.src.length) break; // bash too runs a heredoc cut off by the end of the text
        const newline = this.src.indexOf('\n', this.pos);
        const end = newline < 0 ? this.src.length : newline;
        const line = this.src.slice(this.pos, end);
        this.pos = newline < 0 ? end : end + 1;
        if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) break;
        body += `${line}\n`;
      }
      // With an unquoted delimiter the body is expanded like a double-quoted string: its `$(…)` runs.
      if (!heredoc.delimiter.quoted) new Reader(body, this.out).readExpansionsOnly();
    }
  }

  /** Reads only the expansions of a text (a heredoc body), whose other characters are plain data. */
  private readExpansionsOnly(): void {
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === '\\') this.pos += 2;
      else if (c === '$') this.readDollar();
      else if (c === '`') this.readBackticks(false);
      else this.pos++;
    }
  }

  private skipBlanks(): void {
    for (;;) {
      this.skipSpaces();
      if (this.peek() === '#') this.skipComment();
      else return;
    }
  }

  private skipSpaces(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  private skipComment(): void {
    const newline = this.src.indexOf('\n', this.pos);
    this.pos = newline < 0 ? this.src.length : newline;
  }

  private peek(ahead = 0): string | undefined {
    return this.src[this.pos + ahead];
  }

  private startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }
}
