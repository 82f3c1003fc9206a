import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { packageRoot } from '../../core/self-script.js';
import { auditFiles } from './index.js';

const fixtures = path.join(packageRoot, 'test', 'fixtures', 'hooks');
const transcript = path.join(fixtures, 'session-transcript.jsonl');
const auditLog = path.join(fixtures, 'session-audit.jsonl');
const SESSION = '5f0c9a7e-3b1d-4c2a-9e8f-1a2b3c4d5e6f';

describe('the hand-written Claude Code session', () => {
  it('is parsed, joined and measured exactly', async () => {
    const result = await auditFiles([transcript, auditLog]);
    expect(result.files).toEqual([
      { path: transcript, kind: 'transcript', lines: 47, malformed: 2 },
      { path: auditLog, kind: 'audit-log', lines: 19, malformed: 2 },
    ]);
    // 17 Bash calls (a repeated line counted once, Read/Edit calls not at all); the one without an
    // audit record is `git status` after the commit.
    expect(result.bashCalls).toBe(17);
    expect(result.joined).toBe(16);
    // Rewritten: the diff retried by the same command, the log retried by its rewritten form two
    // Bash calls later (a non-Bash call between does not count), the diff and a status failing.
    expect(result.rewritten).toEqual({ calls: 8, retries: 2, failures: 2 });
    // Native, read_only and mutating only (the hook never rewrote an unknown command, so the failed
    // and retried `npm test` is left out): `cat package.json` retried, the blocked `git stash` failed.
    expect(result.native).toEqual({ calls: 5, retries: 1, failures: 1 });
    expect(result.byClass).toEqual({
      read_only: { calls: 11, rewritten: 7 },
      mutating: { calls: 2, rewritten: 1 },
      unknown: { calls: 3, rewritten: 0 },
    });
    expect(result.findings).toEqual([
      {
        sessionId: SESSION,
        toolUseId: 'toolu_01B2mHs6L4jK8dF3gQ7wE9rT',
        command: 'git diff --stat',
        rewritten: 'mytool git diff --stat',
        class: 'read_only',
        retried: true,
        failed: true,
      },
      {
        sessionId: SESSION,
        toolUseId: 'toolu_01G7tWa0X3zC6dF9gJ2kM5nP',
        command: 'git add src/args.ts && git commit -m "fix: accept --verbose after the file name"',
        rewritten: 'mytool git add src/args.ts && mytool git commit -m "fix: accept --verbose after the file name"',
        class: 'mutating',
        retried: false,
        failed: false,
      },
      {
        sessionId: SESSION,
        toolUseId: 'toolu_01H0uXb3Y6aD9eG2hK5mP8qR',
        command: 'git log --oneline -5',
        rewritten: 'mytool git log --oneline -5',
        class: 'read_only',
        retried: true,
        failed: false,
      },
      {
        sessionId: SESSION,
        toolUseId: 'toolu_01Q4cFj7G0iN3pR6sV9wA2bC',
        command: 'git status',
        rewritten: 'mytool git status',
        class: 'read_only',
        retried: false,
        failed: true,
      },
    ]);
  });

  it('tells the kinds apart in either order', async () => {
    const result = await auditFiles([auditLog, transcript]);
    expect(result.files.map((file) => file.kind)).toEqual(['audit-log', 'transcript']);
    expect(result.rewritten).toEqual({ calls: 8, retries: 2, failures: 2 });
  });

  it('without an audit log reports every Bash call unjoined and measures nothing', async () => {
    const result = await auditFiles([transcript]);
    expect(result.bashCalls).toBe(17);
    expect(result.joined).toBe(0);
    expect(result.rewritten).toEqual({ calls: 0, retries: 0, failures: 0 });
    expect(result.native).toEqual({ calls: 0, retries: 0, failures: 0 });
    expect(result.byClass).toEqual({
      read_only: { calls: 0, rewritten: 0 },
      mutating: { calls: 0, rewritten: 0 },
      unknown: { calls: 0, rewritten: 0 },
    });
    expect(result.findings).toEqual([]);
  });
});

describe('bad input', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-audit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function inputError(paths: string[]): Promise<InputError> {
    const error = await auditFiles(paths).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).not.toContain('\n');
    return error as InputError;
  }

  it('a missing file, a directory or an unreadable file is an InputError naming it', async () => {
    const missing = path.join(dir, 'nope.jsonl');
    expect((await inputError([transcript, missing])).message).toBe(`${missing}: cannot read (ENOENT)`);
    expect((await inputError([dir])).message).toBe(`${dir}: a directory, not a regular file`);
    // Reading one's own memory from offset 0 fails with EIO, for root too (a chmod 000 file would not).
    expect((await inputError(['/proc/self/mem'])).message).toMatch(/^\/proc\/self\/mem: cannot read \(EIO\)$/);
  });

  it('a file of neither kind, or an empty one, is an InputError naming it', async () => {
    const csv = path.join(dir, 'results.csv');
    fs.writeFileSync(csv, 'suite,case\nbench,a\n');
    expect((await inputError([csv])).message).toBe(
      `${csv}: neither a Claude Code session transcript nor a hook-shim audit log (none of its 2 lines is either)`,
    );
    const json = path.join(dir, 'other.jsonl');
    fs.writeFileSync(json, '{"name":"x"}\n[1,2]\n');
    expect((await inputError([json])).message).toContain(`${json}: neither`);
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '\n\n');
    expect((await inputError([empty])).message).toBe(
      `${empty}: neither a Claude Code session transcript nor a hook-shim audit log (it is empty)`,
    );
  });

  it('malformed lines before the first recognisable one are counted for the kind found after them', async () => {
    const file = path.join(dir, 'log.jsonl');
    fs.writeFileSync(
      file,
      [
        'not json',
        '{"ts":"x"',
        JSON.stringify({
          ts: 't',
          session_id: 's',
          tool_use_id: 'toolu_1',
          command: 'ls',
          rewritten: null,
          class: 'read_only',
        }),
        '{"ts":1}',
        '',
      ].join('\n'),
    );
    const result = await auditFiles([file]);
    expect(result.files).toEqual([{ path: file, kind: 'audit-log', lines: 4, malformed: 3 }]);
  });
});
