import fs from 'node:fs';
import type { WriteRequest } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { SizePayloads } from './payloads.js';
import { checkTarget, isCheckedWrite, type ContentVerdict, type KnownContent } from './checks.js';
import type { TargetRead } from './types.js';

/** The target's bytes now, or why it cannot be read: what checkTarget judges. */
function readTarget(target: string): TargetRead {
  try {
    return { bytes: fs.readFileSync(target) };
  } catch (error) {
    return { unreadable: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/**
 * The sequence of writes one line makes to one target, and the checks that they landed. For
 * durable and fast the target starts with content no write produces and the two written payloads
 * alternate, so every write is a real change and its result can be told from its predecessor's. For
 * unchanged every write is a real no-op: the target already holds exactly the bytes being written.
 *
 * Requests are built once, so handing out the next one allocates nothing. Checks read the target back
 * in `next()` (before the following write is handed out) and in `checkLastWrite()`; callers call both
 * only outside the timed window (an engine's per-iteration prepare, between rounds, after the run).
 */
export class WriteCycle {
  private readonly requests: readonly [WriteRequest, WriteRequest];
  private readonly initial: KnownContent;
  private readonly written: readonly [KnownContent, KnownContent];
  private issued = 0;
  private checkedUpTo = 0;
  private checkedWrites = 0;
  private problem: string | undefined;

  constructor(
    readonly target: string,
    payloads: SizePayloads,
    readonly mode: WriteMode,
  ) {
    const [a, b] = payloads.written;
    this.requests = [
      { target, source: a.source, content: a.content, mode },
      { target, source: b.source, content: b.content, mode },
    ];
    this.written = [
      { label: 'payload A', bytes: a.content },
      { label: 'payload B', bytes: b.content },
    ];
    this.initial =
      mode === 'unchanged'
        ? this.written[0]
        : { label: 'the initial content (no write produces it)', bytes: payloads.initial };
  }

  /** Puts the target in the state the first write expects (plain fs, never timed) and starts a new run. */
  reset(): void {
    fs.writeFileSync(this.target, this.initial.bytes);
    this.issued = 0;
    this.checkedUpTo = 0;
    this.checkedWrites = 0;
    this.problem = undefined;
  }

  /** The next write; first reads back the previous one's result when it is one of the checked writes. */
  next(): WriteRequest {
    if (isCheckedWrite(this.issued)) this.check(this.issued);
    const request = this.requests[this.mode === 'unchanged' ? 0 : this.issued % 2] as WriteRequest;
    this.issued += 1;
    return request;
  }

  /** Reads back the latest write's result, unless it already was. */
  checkLastWrite(): void {
    this.check(this.issued);
  }

  /** The run's verdict; the last write is always among those checked. */
  verdict(): ContentVerdict {
    this.checkLastWrite();
    return { problem: this.problem, checkedWrites: this.checkedWrites, writes: this.issued };
  }

  private check(afterWrite: number): void {
    // After the first wrong write the verdict is settled: no more reads.
    if (afterWrite === 0 || afterWrite <= this.checkedUpTo || this.problem !== undefined) return;
    this.checkedUpTo = afterWrite;
    this.checkedWrites += 1;
    this.problem = checkTarget(readTarget(this.target), afterWrite, this.expectedAfter(afterWrite), [
      this.initial,
      ...this.written,
    ]);
  }

  private expectedAfter(write: number): KnownContent {
    if (this.mode === 'unchanged') return this.written[0];
    return this.written[(write - 1) % 2] as KnownContent;
  }
}
