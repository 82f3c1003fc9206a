/**
 * Seeded synthetic Claude Code sessions and hook-shim audit logs whose audit figures are known by
 * construction: every Bash call is planned with its labels (joined, rewritten, class, failed,
 * retried) and the expected result is tallied from those labels, never from the text the proxy reads.
 * Commands are unique per episode, so the only calls that can be retried are the ones planned so.
 */
import type { CommandClass } from '../classify/index.js';
import { randomBelow, seededRandom } from '../../core/rng.js';
import { auditLine, type AuditRecord } from './audit-log.js';
import type { AuditCounts, AuditFinding, AuditMetrics } from './metrics.js';

/** The README's window, written out rather than imported: the generator must not follow a change to it. */
const WINDOW = 3;

export interface SyntheticOptions {
  seed: number;
  sessions?: number;
  transcriptFiles?: number;
  auditFiles?: number;
}

export interface SyntheticFile {
  name: string;
  kind: 'transcript' | 'audit-log';
  text: string;
  lines: number;
  malformed: number;
}

/** How much of each tricky case a corpus holds, so tests can insist every case was exercised. */
export interface SyntheticCoverage {
  /** Retries by distance in Bash calls: index 1..3. */
  retriesAtDistance: number[];
  /** Repeats one call past the window: not retries. */
  nearMisses: number;
  /** Retries typed as the hook's rewritten form. */
  handTypedRewrites: number;
  /** Retries that differ from the original only in spacing. */
  respacedRetries: number;
  /** Joined, not rewritten calls left out of the baseline because the hook never rewrote their class. */
  excludedNativeCalls: number;
  /** Sessions whose lines are split over two transcript files. */
  splitSessions: number;
}

export interface SyntheticCorpus {
  /** In the order to pass them: shuffled, so a session split over two files may come later part first. */
  files: SyntheticFile[];
  expected: AuditMetrics;
  coverage: SyntheticCoverage;
}

interface PlannedCall {
  sessionId: string;
  toolUseId: string;
  command: string;
  class: CommandClass;
  joined: boolean;
  rewritten: string | null;
  failed: boolean;
  retried: boolean;
}

/** A transcript event of one session, before it is written as a line. */
type SessionEvent = { kind: 'bash'; call: PlannedCall } | { kind: 'other-tool'; id: string } | { kind: 'prompt' } | { kind: 'text' };

const CLASSES: readonly CommandClass[] = ['read_only', 'mutating', 'unknown'];

function commandOf(cls: CommandClass, k: number, variant: number): string {
  const forms: Record<CommandClass, string[]> = {
    read_only: [`git status --short -- pkg${k}`, `git log --oneline -n ${k}`, `git diff --stat HEAD~${k}`, `ls src/mod${k}`, `cat notes/${k}.md`],
    mutating: [`git commit -m "step ${k}"`, `git add src/file${k}.ts`, `rm -f build/out${k}.o`, `git checkout -b topic-${k}`],
    unknown: [`npm run task-${k}`, `make target${k}`, `./scripts/check.sh ${k}`],
  };
  const list = forms[cls];
  return list[variant % list.length] as string;
}

class Planner {
  private episode = 0;
  private id = 0;
  readonly coverage: SyntheticCoverage = { retriesAtDistance: [0, 0, 0, 0], nearMisses: 0, handTypedRewrites: 0, respacedRetries: 0, excludedNativeCalls: 0, splitSessions: 0 };

  constructor(
    private readonly random: () => number,
    /** Classes the hook rewrites in this corpus: read_only always, the others by the seed. */
    readonly rewritable: ReadonlySet<CommandClass>,
  ) {}

  chance(p: number): boolean {
    return this.random() < p;
  }

  below(n: number): number {
    return randomBelow(this.random, n);
  }

  toolUseId(): string {
    this.id++;
    const tail = Array.from({ length: 20 }, () => 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789'[this.below(58)]).join('');
    return `toolu_01${tail}${this.id.toString(36)}`;
  }

  /** A call with a fresh command; rewritten when its class is rewritable and the hook chooses to. */
  fresh(sessionId: string): PlannedCall {
    this.episode++;
    const cls = CLASSES[this.below(CLASSES.length)] as CommandClass;
    const command = commandOf(cls, this.episode, this.below(5));
    const rewritten = this.rewritable.has(cls) && this.chance(0.7) ? `mytool ${command}` : null;
    return { sessionId, toolUseId: this.toolUseId(), command, class: cls, joined: this.chance(0.9), rewritten, failed: this.chance(0.25), retried: false };
  }

  /** The agent's repeat of `target`: its command again (maybe respaced), or the rewritten form by hand. */
  repeat(target: PlannedCall, counts: boolean): PlannedCall {
    let command = target.command;
    let rewritten = target.rewritten;
    if (target.rewritten !== null && this.chance(0.3)) {
      command = target.rewritten;
      rewritten = null;
      if (counts) this.coverage.handTypedRewrites++;
    } else if (this.chance(0.2)) {
      command = ` ${command.replace(' ', '  ')}`;
      // The hook sees the respaced text; what it writes is its own business.
      rewritten = rewritten === null ? null : `mytool ${command.trim()}`;
      if (counts) this.coverage.respacedRetries++;
    }
    return { sessionId: target.sessionId, toolUseId: this.toolUseId(), command, class: target.class, joined: this.chance(0.9), rewritten, failed: this.chance(0.25), retried: false };
  }

  /** Bash and non-Bash events of one session: episodes of a call, fillers and maybe its repeat. */
  session(sessionId: string, episodes: number): SessionEvent[] {
    const events: SessionEvent[] = [{ kind: 'prompt' }];
    const bash = (call: PlannedCall) => {
      events.push({ kind: 'bash', call });
      // Non-Bash tool calls anywhere: they are not positions in the retry window.
      if (this.chance(0.3)) events.push({ kind: 'other-tool', id: this.toolUseId() });
    };
    for (let e = 0; e < episodes; e++) {
      if (this.chance(0.1)) events.push({ kind: 'text' });
      const target = this.fresh(sessionId);
      bash(target);
      const pattern = this.below(3);
      if (pattern === 0) continue;
      const distance = pattern === 1 ? 1 + this.below(WINDOW) : WINDOW + 1;
      for (let f = 1; f < distance; f++) bash(this.fresh(sessionId));
      bash(this.repeat(target, pattern === 1));
      if (pattern === 1) {
        target.retried = true;
        this.coverage.retriesAtDistance[distance]!++;
      } else {
        this.coverage.nearMisses++;
      }
    }
    return events;
  }
}

function sessionIdOf(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => randomBelow(random, 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/** Lines of one session in Claude Code's transcript format, with strictly increasing timestamps. */
function transcriptLines(sessionId: string, events: readonly SessionEvent[], startMs: number, random: () => number): string[] {
  let time = startMs;
  let parent: string | null = null;
  let n = 0;
  const lines: string[] = [];
  const push = (type: 'user' | 'assistant', message: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    time += 500 + randomBelow(random, 4000);
    n++;
    const uuid = `${sessionId.slice(0, 24)}${n.toString(16).padStart(12, '0')}`;
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId, version: '2.1.63', gitBranch: 'main', type, message, ...extra, uuid, timestamp: new Date(time).toISOString() }));
    parent = uuid;
  };
  const assistant = (content: unknown[]) => push('assistant', { id: `msg_${sessionId.slice(0, 8)}${n}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 4, output_tokens: 80 } });
  for (const event of events) {
    if (event.kind === 'prompt') push('user', { role: 'user', content: 'please tidy up the build' });
    else if (event.kind === 'text') assistant([{ type: 'text', text: 'Looking at the repository.' }]);
    else if (event.kind === 'other-tool') {
      assistant([{ type: 'tool_use', id: event.id, name: 'Read', input: { file_path: '/home/dev/project/README.md' } }]);
      push('user', { role: 'user', content: [{ tool_use_id: event.id, type: 'tool_result', content: '# project' }] });
    } else {
      const { call } = event;
      assistant([{ type: 'tool_use', id: call.toolUseId, name: 'Bash', input: { command: call.command, description: 'run it' } }]);
      const text = call.failed ? 'Exit code 1\nsomething went wrong' : 'ok';
      const result: Record<string, unknown> = { tool_use_id: call.toolUseId, type: 'tool_result', content: randomBelow(random, 2) === 0 ? text : [{ type: 'text', text }] };
      // is_error absent means false; failures always carry it.
      if (call.failed || randomBelow(random, 2) === 0) result.is_error = call.failed;
      push('user', { role: 'user', content: [result] }, { toolUseResult: { stdout: call.failed ? '' : text, stderr: call.failed ? text : '', interrupted: false, isImage: false } });
    }
  }
  return lines;
}

const MALFORMED_TRANSCRIPT: readonly string[] = [
  'not json at all',
  '{"parentUuid":"x","type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use"',
  '[1,2,3]',
  '{"sessionId":"x","message":{"role":"user","content":"no type"}}',
  '{"type":"assistant","sessionId":"x","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_bad","name":"Bash","input":{"description":"no command"}}]}}',
  '{"type":"user","sessionId":"x","message":{"role":"user","content":[{"type":"tool_result","content":"no tool_use_id"}]}}',
  '{"type":"assistant","sessionId":"x","message":"a string, not a message"}',
];

const MALFORMED_AUDIT: readonly string[] = [
  '{"ts":"2026-01-01T00:00:00Z","session_id":"x","tool_use_id":"toolu_x","command":"ls","rewritten":null,"class":"harmless"}',
  '{"ts":"2026-01-01T00:00:00Z","session_id":"x","tool_use_id":"toolu_x","command":"ls","rewritten":7,"class":"read_only"}',
  '{"ts":"2026-01-01T00:00:00Z","session_id":"x","tool_use_id":"tool',
];

/** Lines with `count` malformed ones inserted at random places, never first (any place would do). */
function withMalformed(lines: string[], pool: readonly string[], count: number, random: () => number): string[] {
  const out = [...lines];
  for (let i = 0; i < count; i++) out.splice(1 + randomBelow(random, out.length), 0, pool[randomBelow(random, pool.length)] as string);
  return out;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBelow(random, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function expectedOf(calls: readonly PlannedCall[], coverage: SyntheticCoverage): AuditMetrics {
  const joined = calls.filter((c) => c.joined);
  const rewritten = joined.filter((c) => c.rewritten !== null);
  const classes = new Set(rewritten.map((c) => c.class));
  const native = joined.filter((c) => c.rewritten === null && classes.has(c.class));
  coverage.excludedNativeCalls = joined.filter((c) => c.rewritten === null && !classes.has(c.class)).length;
  const counts = (list: readonly PlannedCall[]): AuditCounts => ({ calls: list.length, retries: list.filter((c) => c.retried).length, failures: list.filter((c) => c.failed).length });
  const byClass = Object.fromEntries(CLASSES.map((cls) => [cls, { calls: joined.filter((c) => c.class === cls).length, rewritten: rewritten.filter((c) => c.class === cls).length }])) as AuditMetrics['byClass'];
  const findings: AuditFinding[] = rewritten
    .filter((c) => c.class === 'mutating' || c.retried || c.failed)
    .map((c) => ({ sessionId: c.sessionId, toolUseId: c.toolUseId, command: c.command, rewritten: c.rewritten as string, class: c.class, retried: c.retried, failed: c.failed }));
  return { bashCalls: calls.length, joined: joined.length, rewritten: counts(rewritten), native: counts(native), byClass, findings };
}

/** A corpus of synthetic sessions over several transcript files and audit logs, with its known figures. */
export function syntheticCorpus(options: SyntheticOptions): SyntheticCorpus {
  const random = seededRandom(options.seed);
  const sessionCount = options.sessions ?? 6;
  const transcriptCount = options.transcriptFiles ?? 4;
  const auditCount = options.auditFiles ?? 2;
  const rewritable = new Set<CommandClass>(['read_only']);
  if (random() < 0.5) rewritable.add('mutating');
  if (random() < 0.3) rewritable.add('unknown');
  const planner = new Planner(random, rewritable);

  const transcriptChunks: string[][] = Array.from({ length: transcriptCount }, () => []);
  const calls: PlannedCall[] = [];
  for (let s = 0; s < sessionCount; s++) {
    const sessionId = sessionIdOf(random);
    const events = planner.session(sessionId, 6 + randomBelow(random, 10));
    for (const event of events) if (event.kind === 'bash') calls.push(event.call);
    const lines = transcriptLines(sessionId, events, Date.UTC(2026, 2, 1 + s, 9), random);
    const first = randomBelow(random, transcriptCount);
    if (transcriptCount > 1 && random() < 0.5) {
      // Split in two: the later part in another file, which may well be given first.
      const second = (first + 1 + randomBelow(random, transcriptCount - 1)) % transcriptCount;
      const cut = 1 + randomBelow(random, lines.length - 1);
      transcriptChunks[first]!.push(...lines.slice(0, cut));
      transcriptChunks[second]!.push(...lines.slice(cut));
      planner.coverage.splitSessions++;
    } else {
      transcriptChunks[first]!.push(...lines);
    }
  }

  const files: SyntheticFile[] = [];
  transcriptChunks.forEach((chunk, i) => {
    const malformed = i === 0 ? 1 + randomBelow(random, 3) : randomBelow(random, 4);
    const lines = withMalformed([JSON.stringify({ type: 'summary', summary: 'Tidy the build', leafUuid: `leaf-${i}` }), ...chunk], MALFORMED_TRANSCRIPT, malformed, random);
    files.push({ name: `transcript-${i}.jsonl`, kind: 'transcript', text: `${lines.join('\n')}\n`, lines: lines.length, malformed });
  });

  const records: AuditRecord[] = calls
    .filter((c) => c.joined)
    .map((c) => ({ ts: '2026-03-01T09:00:00.000Z', session_id: c.sessionId, tool_use_id: c.toolUseId, command: c.command, rewritten: c.rewritten, class: c.class }));
  // Records of calls in no transcript given (another session's): joined to nothing.
  for (let i = 0; i < 3; i++) records.push({ ts: '2026-03-01T09:00:00.000Z', session_id: 'elsewhere', tool_use_id: planner.toolUseId(), command: 'git fetch', rewritten: 'mytool git fetch', class: 'mutating' });
  const auditChunks: string[][] = Array.from({ length: auditCount }, (_, i) => [auditLine(records[i] as AuditRecord).trimEnd()]);
  for (const record of shuffle(records.slice(auditCount), random)) auditChunks[randomBelow(random, auditCount)]!.push(auditLine(record).trimEnd());
  auditChunks.forEach((chunk, i) => {
    const malformed = i === 0 ? 1 + randomBelow(random, 2) : randomBelow(random, 3);
    const lines = withMalformed(chunk, MALFORMED_AUDIT, malformed, random);
    files.push({ name: `audit-${i}.jsonl`, kind: 'audit-log', text: `${lines.join('\n')}\n`, lines: lines.length, malformed });
  });

  const expected = expectedOf(calls, planner.coverage);
  return { files: shuffle(files, random), expected, coverage: planner.coverage };
}
