/**
 * A file's bytes as extents: sorted, non-overlapping pieces over a logical size, with every byte
 * no piece covers reading as zero (a hole). Crash states share the payload Buffers of the write
 * ops by reference, so an 8 MiB file written in 128 calls is 128 views, never a fresh 8 MiB copy
 * per state; comparing against `old`/`fresh` walks the pieces with Buffer.compare on ranges.
 */
import { createHash } from 'node:crypto';

/** ALICE's and ext4's unit of tearing: a page / file-system block. */
export const BLOCK_SIZE = 4096;

interface Piece {
  /** Absolute offset in the file. */
  readonly offset: number;
  /** Never empty; ends at or before the content's size. */
  readonly data: Buffer;
}

const ZEROS = Buffer.alloc(64 * 1024);

export class Content {
  static readonly EMPTY = new Content(0, []);

  private constructor(
    readonly size: number,
    private readonly pieces: readonly Piece[],
  ) {}

  static of(bytes: Buffer): Content {
    return bytes.length === 0 ? Content.EMPTY : new Content(bytes.length, [{ offset: 0, data: bytes }]);
  }

  /** pwrite: overlay `data` at `offset`, growing the size if it reaches past the end. */
  write(offset: number, data: Buffer): Content {
    if (data.length === 0) return this;
    const end = offset + data.length;
    const kept = this.piecesIn(0, offset).concat([{ offset, data }], this.piecesIn(end, this.size));
    return new Content(Math.max(this.size, end), kept);
  }

  /** ftruncate / O_TRUNC: cut, or extend with a hole. */
  truncate(size: number): Content {
    if (size >= this.size) return new Content(size, this.pieces);
    return new Content(size, this.piecesIn(0, size));
  }

  /** The pieces that cover [start, end), clipped to it (views, no copies). */
  piecesIn(start: number, end: number): Piece[] {
    const stop = Math.min(end, this.size);
    const out: Piece[] = [];
    if (stop <= start) return out;
    for (let i = this.firstPieceEndingAfter(start); i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      if (piece.offset >= stop) break;
      const from = Math.max(start, piece.offset);
      const to = Math.min(stop, piece.offset + piece.data.length);
      if (to > from) out.push({ offset: from, data: piece.data.subarray(from - piece.offset, to - piece.offset) });
    }
    return out;
  }

  /** Build a content of `size` bytes from ranges of other contents (a torn or zero-filled file). */
  static assemble(size: number, ranges: { start: number; end: number; from: Content | 'zero' }[]): Content {
    const pieces: Piece[] = [];
    for (const range of ranges) {
      if (range.from === 'zero') continue;
      pieces.push(...range.from.piecesIn(range.start, Math.min(range.end, size)));
    }
    pieces.sort((a, b) => a.offset - b.offset);
    return new Content(size, pieces);
  }

  /** Exactly these bytes? */
  equals(bytes: Buffer): boolean {
    return this.size === bytes.length && this.matchesRange(bytes, 0, this.size);
  }

  /** Is this content the first `size` bytes of `bytes`? */
  isPrefixOf(bytes: Buffer): boolean {
    return this.size <= bytes.length && this.matchesRange(bytes, 0, this.size);
  }

  /** Every byte zero (holes or zero data)? */
  isAllZero(): boolean {
    return this.pieces.every((piece) => isZero(piece.data));
  }

  /** The first offset where this content and `bytes` differ, or -1 when equal. */
  firstDifference(bytes: Buffer): number {
    let cursor = 0;
    const limit = Math.min(this.size, bytes.length);
    for (const piece of this.piecesIn(0, limit)) {
      const hole = firstNonZero(bytes, cursor, piece.offset);
      if (hole >= 0) return hole;
      const other = bytes.subarray(piece.offset, piece.offset + piece.data.length);
      if (!other.equals(piece.data)) {
        for (let i = 0; i < other.length; i++) if (other[i] !== piece.data[i]) return piece.offset + i;
      }
      cursor = piece.offset + piece.data.length;
    }
    const tail = firstNonZero(bytes, cursor, limit);
    if (tail >= 0) return tail;
    return this.size === bytes.length ? -1 : limit;
  }

  /** A digest of the bytes (not of the piece layout): equal bytes give equal keys. */
  digest(): string {
    const hash = createHash('sha256');
    hash.update(`${this.size}:`);
    let cursor = 0;
    const feedZeros = (count: number): void => {
      for (let left = count; left > 0; left -= ZEROS.length)
        hash.update(ZEROS.subarray(0, Math.min(left, ZEROS.length)));
    };
    for (const piece of this.pieces) {
      feedZeros(piece.offset - cursor);
      hash.update(piece.data);
      cursor = piece.offset + piece.data.length;
    }
    feedZeros(this.size - cursor);
    return hash.digest('hex');
  }

  /** The pieces in order, for writing the file out (holes left for the caller to zero-fill). */
  allPieces(): readonly Piece[] {
    return this.pieces;
  }

  toBuffer(): Buffer {
    const out = Buffer.alloc(this.size);
    for (const piece of this.pieces) piece.data.copy(out, piece.offset);
    return out;
  }

  private matchesRange(bytes: Buffer, start: number, end: number): boolean {
    let cursor = start;
    for (const piece of this.piecesIn(start, end)) {
      if (firstNonZero(bytes, cursor, piece.offset) >= 0) return false;
      if (Buffer.compare(piece.data, bytes.subarray(piece.offset, piece.offset + piece.data.length)) !== 0)
        return false;
      cursor = piece.offset + piece.data.length;
    }
    return firstNonZero(bytes, cursor, end) < 0;
  }

  private firstPieceEndingAfter(offset: number): number {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const piece = this.pieces[mid]!;
      if (piece.offset + piece.data.length <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function isZero(bytes: Buffer): boolean {
  return firstNonZero(bytes, 0, bytes.length) < 0;
}

/** The first non-zero byte of bytes[start, end), or -1. Compares in chunks against a zero page. */
function firstNonZero(bytes: Buffer, start: number, end: number): number {
  for (let at = start; at < end; at += ZEROS.length) {
    const stop = Math.min(end, at + ZEROS.length);
    if (Buffer.compare(bytes.subarray(at, stop), ZEROS.subarray(0, stop - at)) !== 0) {
      for (let i = at; i < stop; i++) if (bytes[i] !== 0) return i;
    }
  }
  return -1;
}
