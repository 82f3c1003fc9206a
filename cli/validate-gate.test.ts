import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { useCliHarness } from '../test/support/cli-harness.js';

const cli = useCliHarness({ prefix: 'wg-vg-' });

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
      const out = path.join(cli.dir, 'out');
      expect(await main(['validate-gate', ...args, '--out', out])).toBe(2);
      expect(cli.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(cli.stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    });
  }
});
