import fs from 'node:fs';
import type { WriteRequest } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { Payload } from './payloads.js';

/**
 * The sequence of writes one scenario makes to one target. For durable and fast every write is a
 * real change: the variants alternate, so the target always holds the other one. For unchanged every
 * write is a real no-op: the target already holds exactly the bytes being written. Requests are
 * built once, so handing out the next one inside a sampling loop allocates nothing.
 */
export class WriteCycle {
  private readonly requests: WriteRequest[];
  private issued = 0;

  constructor(
    readonly target: string,
    private readonly variants: readonly Payload[],
    readonly mode: WriteMode,
  ) {
    if (variants.length < 2) throw new Error('WriteCycle needs two payload variants');
    this.requests = variants.map((payload) => ({ target, source: payload.source, content: payload.content, mode }));
  }

  /** Puts the target in the state the first write expects (plain fs, never timed). */
  reset(): void {
    fs.writeFileSync(this.target, this.initial().content);
    this.issued = 0;
  }

  next(): WriteRequest {
    const request = this.requests[this.mode === 'unchanged' ? 0 : this.issued % this.requests.length] as WriteRequest;
    this.issued += 1;
    return request;
  }

  /** What the target must hold now, if the subject wrote what it was given. */
  expected(): Buffer {
    if (this.issued === 0) return this.initial().content;
    if (this.mode === 'unchanged') return (this.variants[0] as Payload).content;
    return (this.variants[(this.issued - 1) % this.variants.length] as Payload).content;
  }

  /** Undefined when the target holds the expected bytes, else what is wrong. */
  check(): string | undefined {
    let actual: Buffer;
    try {
      actual = fs.readFileSync(this.target);
    } catch (error) {
      return `cannot read the target after the run (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    const expected = this.expected();
    if (actual.equals(expected)) return undefined;
    return `target holds ${actual.length} bytes that differ from the last payload written (${expected.length} bytes)`;
  }

  private initial(): Payload {
    return (this.mode === 'unchanged' ? this.variants[0] : this.variants[1]) as Payload;
  }
}
