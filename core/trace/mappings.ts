/**
 * Shared, writable file mappings as a trace shows them: mmap(MAP_SHARED, PROT_WRITE) of a file
 * opens a window through which a process changes the file with no call at all; msync and munmap
 * name only a memory range. This keeps which range of which file each address range maps, so an
 * msync can be told to sync bytes of that file.
 */

export interface Mapping {
  /** Memory range [start, end). */
  start: number;
  end: number;
  ino: number;
  /** File offset of `start`. */
  fileOffset: number;
}

export class MappingTable {
  private readonly mappings: Mapping[] = [];

  add(mapping: Mapping): void {
    this.mappings.push(mapping);
  }

  /** The mappings overlapping [address, address + length), with the overlap as a file range. */
  overlapping(address: number, length: number): Array<{ mapping: Mapping; offset: number; length: number }> {
    const end = address + Math.max(length, 1);
    return this.mappings
      .filter((m) => m.start < end && address < m.end)
      .map((mapping) => {
        const from = Math.max(address, mapping.start);
        const to = Math.min(end, mapping.end);
        return { mapping, offset: mapping.fileOffset + (from - mapping.start), length: to - from };
      });
  }

  /**
   * munmap: forget every mapping inside the range (a partial unmap keeps none of it: later msyncs of it are not ours).
   */
  remove(address: number, length: number): void {
    const end = address + length;
    for (let i = this.mappings.length - 1; i >= 0; i--) {
      const m = this.mappings[i] as Mapping;
      if (m.start < end && address < m.end) this.mappings.splice(i, 1);
    }
  }
}

/** mmap's flags and protection say the process can change the file through memory. */
export function isWritableSharedMapping(prot: string | undefined, flags: string | undefined): boolean {
  return /\bPROT_WRITE\b/.test(prot ?? '') && /\bMAP_SHARED(_VALIDATE)?\b/.test(flags ?? '');
}

/** A number strace printed: decimal, or hex for addresses. */
export function parseNumber(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const value = Number(token.trim());
  return Number.isFinite(value) ? value : undefined;
}
