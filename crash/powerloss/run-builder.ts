/**
 * Builds a PowerLossInput by hand, call by call: for tests, the benchmark, and anyone who wants to
 * ask "what if a writer did exactly this". Tracks names so a rename knows what it replaced.
 */
import type { InitialState, InodeId, LogicalOp, PowerLossInput } from './types.js';

type NewOp = LogicalOp extends infer Op ? (Op extends LogicalOp ? Omit<Op, 'index'> : never) : never;

export class RunBuilder {
  readonly ops: LogicalOp[] = [];
  private readonly initial: InitialState = { dirs: new Map(), files: new Map() };
  private readonly names = new Map<InodeId, Map<string, InodeId>>();
  private readonly paths = new Map<InodeId, string>();
  private nextIno = 1;

  /** A directory that exists before the run. */
  dir(path: string): InodeId {
    const ino = this.nextIno++;
    this.initial.dirs.set(ino, { path, entries: new Map() });
    this.names.set(ino, new Map());
    this.paths.set(ino, path);
    return ino;
  }

  /** A file that exists (fully persisted) before the run. */
  existingFile(dir: InodeId, name: string, content: Buffer): InodeId {
    const ino = this.nextIno++;
    this.initial.dirs.get(dir)!.entries.set(name, ino);
    this.initial.files.set(ino, content);
    this.names.get(dir)!.set(name, ino);
    return ino;
  }

  /** The file a name holds now (after the ops so far). */
  lookup(dir: InodeId, name: string): InodeId {
    const ino = this.names.get(dir)?.get(name);
    if (ino === undefined) throw new Error(`no ${name} in #${dir}`);
    return ino;
  }

  create(dir: InodeId, name: string): InodeId {
    const ino = this.nextIno++;
    this.push({ kind: 'create', dir, name, ino, call: `openat(${this.path(dir, name)}, O_CREAT)` });
    this.names.get(dir)!.set(name, ino);
    return ino;
  }

  write(
    ino: InodeId,
    offset: number,
    data: Buffer,
    how: { syncedBy?: 'O_DSYNC' | 'O_SYNC' | 'RWF_DSYNC' | 'RWF_SYNC'; via?: 'mapping' } = {},
  ): this {
    const name = how.via === 'mapping' ? 'mmap' : 'pwrite64';
    return this.push({
      kind: 'write',
      ino,
      offset,
      data,
      ...how,
      call: `${name}(#${ino}, ${data.length} bytes at ${offset}${how.syncedBy ? `, ${how.syncedBy}` : ''})`,
    });
  }

  /** `data` in consecutive writes of `chunk` bytes from offset 0. */
  writeInChunks(ino: InodeId, data: Buffer, chunk: number): this {
    for (let offset = 0; offset < data.length; offset += chunk)
      this.write(ino, offset, data.subarray(offset, offset + chunk));
    return this;
  }

  truncate(ino: InodeId, size: number): this {
    return this.push({
      kind: 'truncate',
      ino,
      size,
      call: size === 0 ? `openat(#${ino}, O_TRUNC)` : `ftruncate(#${ino}, ${size})`,
    });
  }

  fsync(ino: InodeId, dataOnly = false): this {
    return this.push({
      kind: 'sync',
      ino,
      dataOnly,
      call: `${dataOnly ? 'fdatasync' : 'fsync'}(#${ino}${this.paths.has(ino) ? ` ${this.paths.get(ino)}` : ''})`,
    });
  }

  /** msync(MS_SYNC) of a mapped range of `ino`. */
  msync(ino: InodeId, offset: number, length: number): this {
    return this.push({
      kind: 'sync',
      ino,
      dataOnly: true,
      range: { offset, length },
      call: `msync(#${ino}, ${length} bytes at ${offset})`,
    });
  }

  /** sync(), or syncfs() of the run's file system. */
  syncAll(scope: 'system' | 'file system' = 'system'): this {
    return this.push({ kind: 'sync_all', scope, call: scope === 'system' ? 'sync()' : 'syncfs()' });
  }

  close(ino: InodeId): this {
    return this.push({ kind: 'close', ino, call: `close(#${ino})` });
  }

  rename(fromDir: InodeId, fromName: string, toDir: InodeId, toName: string): this {
    const ino = this.names.get(fromDir)?.get(fromName);
    if (ino === undefined) throw new Error(`rename of missing ${fromName}`);
    const replaced = this.names.get(toDir)?.get(toName);
    this.names.get(fromDir)!.delete(fromName);
    this.names.get(toDir)!.set(toName, ino);
    return this.push({
      kind: 'rename',
      fromDir,
      fromName,
      toDir,
      toName,
      ino,
      ...(replaced === undefined ? {} : { replaced }),
      call: `renameat2(${this.path(fromDir, fromName)} → ${this.path(toDir, toName)})`,
    });
  }

  /** renameat2(RENAME_EXCHANGE): the two names swap their files. */
  exchange(fromDir: InodeId, fromName: string, toDir: InodeId, toName: string): this {
    const ino = this.names.get(fromDir)?.get(fromName);
    const other = this.names.get(toDir)?.get(toName);
    if (ino === undefined || other === undefined) throw new Error(`exchange needs both ${fromName} and ${toName}`);
    this.names.get(fromDir)!.set(fromName, other);
    this.names.get(toDir)!.set(toName, ino);
    return this.push({
      kind: 'exchange',
      fromDir,
      fromName,
      toDir,
      toName,
      ino,
      other,
      call: `renameat2(${this.path(fromDir, fromName)} ⇄ ${this.path(toDir, toName)}, RENAME_EXCHANGE)`,
    });
  }

  /** A symlink holding `text`. */
  symlink(dir: InodeId, name: string, text: string): InodeId {
    const ino = this.nextIno++;
    this.push({ kind: 'symlink', dir, name, ino, text, call: `symlink(${text}, ${this.path(dir, name)})` });
    this.names.get(dir)!.set(name, ino);
    return ino;
  }

  unlink(dir: InodeId, name: string): this {
    const ino = this.names.get(dir)?.get(name);
    if (ino === undefined) throw new Error(`unlink of missing ${name}`);
    this.names.get(dir)!.delete(name);
    return this.push({ kind: 'unlink', dir, name, ino, call: `unlinkat(${this.path(dir, name)})` });
  }

  /**
   * The input judging one target (`target`, `fresh`) or several (`targets`, each with its own new
   * content); each target's old content is what its name held before the run.
   */
  build(
    run: (
      | { target: { dir: InodeId; name: string }; fresh: Buffer }
      | { targets: { dir: InodeId; name: string; fresh: Buffer; label?: string }[] }
    ) & { reportedSuccess?: boolean },
  ): PowerLossInput {
    const wanted = 'targets' in run ? run.targets : [{ ...run.target, fresh: run.fresh }];
    const targets = wanted.map((target) => {
      const oldIno = this.initial.dirs.get(target.dir)?.entries.get(target.name);
      return { ...target, old: oldIno === undefined ? undefined : this.initial.files.get(oldIno) };
    });
    return { ops: this.ops, initial: this.initial, targets, reportedSuccess: run.reportedSuccess ?? true };
  }

  private path(dir: InodeId, name: string): string {
    return `${this.paths.get(dir) ?? `#${dir}`}/${name}`;
  }

  private push(op: NewOp): this {
    this.ops.push({ ...op, index: this.ops.length } as LogicalOp);
    return this;
  }
}
