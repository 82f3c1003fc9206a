import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandSubject } from './command-subject.js';
import { failureText, stderrExcerpt } from './stderr-excerpt.js';

describe("a failed writer's stderr in one line", () => {
  it('keeps the last three non-empty lines, where a traceback names its error', () => {
    const traceback =
      'Traceback (most recent call last):\n  File "w.py", line 3, in <module>\n ' +
      '   open(target)\n\nPermissionError: [Errno 13] denied\n';
    expect(stderrExcerpt(traceback)).toBe(
      'File "w.py", line 3, in <module> ⏎ open(target) ⏎ PermissionError: [Errno 13] denied',
    );
  });

  it('cuts a long one to its last 300 characters, the end kept', () => {
    const excerpt = stderrExcerpt(`${'x'.repeat(1000)}END`);
    expect(excerpt).toHaveLength(300);
    expect(excerpt).toMatch(/^…x+END$/);
  });

  it('says when the writer said nothing', () => {
    expect(failureText('exit 1', ' \n')).toBe('exit 1, nothing on stderr');
    expect(failureText('exit 1', 'boom\n')).toBe('exit 1: boom');
  });

  it('a per-op command that fails reports its exit code and its stderr', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-stderr-'));
    try {
      const source = path.join(dir, 'source');
      fs.writeFileSync(source, 'new');
      const request = {
        source,
        target: path.join(dir, 'target'),
        content: Buffer.from('new'),
        mode: 'durable' as const,
      };
      const failing = commandSubject({
        name: 'loud',
        template: "/bin/sh -c 'echo first >&2; echo disk on fire >&2; exit 3' {source} {target}",
      });
      const silent = commandSubject({ name: 'f', template: '/bin/false {source} {target}' });
      for (const [subject, expected] of [
        [failing, 'exit 3: first ⏎ disk on fire'],
        [silent, 'exit 1, nothing on stderr'],
      ] as const) {
        const session = await subject.open();
        try {
          expect(await session.write(request)).toMatchObject({ ok: false, error: expected });
        } finally {
          await session.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
