import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

let dir: string;
let stderr: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-vg-'));
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('validate-gate bad input', () => {
  for (const [args, message] of [
    [['--effect', '0'], /--effect: a fraction like 0\.25/],
    [['--effect', 'lots'], /--effect/],
    [['-k', '0'], /--comparisons: at least 1/],
    [['--rounds', 'x'], /--rounds: expected a whole number/],
    [['--samples', '3'], /--samples: at least 5/],
    [['--mode', 'sideways'], /--mode: expected durable, fast, unchanged/],
    [['--size', 'big'], /--size: not a size/],
    [['--inject', 'sleep'], /--inject/],
  ] as const) {
    it(`${args.join(' ')} → exit 2, one line, nothing written`, async () => {
      const out = path.join(dir, 'out');
      expect(await main(['validate-gate', ...args, '--out', out])).toBe(2);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    });
  }
});
