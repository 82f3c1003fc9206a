import fs from 'node:fs';
import { describe, it } from 'vitest';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused as refused } from '../test/support/refused.js';

const cli = useCliHarness({ prefix: 'wg-bounds-', chdir: true });
const WRITER = 'python3 w.py {source} {target}';

/** Refused with `--out out` added: exit 2, one line, nothing written. */
const expectRefused = (args: string[], mentions: RegExp) => refused(cli, [...args, '--out', 'out'], mentions);

function writeConfig(text: string): void {
  fs.writeFileSync('writegate.config.json', text);
}

describe('every number has bounds', () => {
  it('a size is a whole number of bytes: 0.5 is not rounded up to 1', async () => {
    await expectRefused(['bench', '--sizes', '0.5'], /--sizes: "0\.5" is not a whole number of bytes/);
  });

  it('a fractional KiB that is no whole byte count is refused; one that is, is taken', async () => {
    await expectRefused(['bench', '--sizes', '1.0001KiB'], /--sizes: "1\.0001KiB" is not a whole number of bytes/);
    await expectRefused(['bench', '--sizes', '1.5KiB', '--samples', '0'], /--samples: expected a whole number >= 1/);
  });

  it('a hook timeout past what a timer can hold (2^31 - 1 ms) is refused, not wrapped to 1 ms', async () => {
    await expectRefused(
      ['hook', '--hook', 'h=true', '--hook-timeout', String(2 ** 31)],
      /--hook-timeout: at most 2147483647, got 2147483648/,
    );
  });

  it('the crash checker timeout in seconds is bounded the same way', async () => {
    await expectRefused(
      ['crash', '--crash-checker-timeout', '2147484'],
      /--crash-checker-timeout: at most 2147483, got 2147484/,
    );
  });

  it('counts that would start a run of years are refused before any measuring', async () => {
    await expectRefused(['bench', '--samples', '1000000000000'], /--samples: at most 1000000, got 1000000000000/);
    await expectRefused(['crash', '--crash-writers', '100000'], /--crash-writers: at most 256, got 100000/);
    await expectRefused(['crash', '--crash-trials', '5000'], /--crash-trials: at most 1000/);
    const arms = ['--base', `w=${WRITER}`, '--head', `w=${WRITER}`];
    await expectRefused(['compare', ...arms, '--max-rounds', '99999999'], /--max-rounds: at most 100, got 99999999/);
    await expectRefused(['compare', ...arms, '--samples', '99999999'], /--samples: at most 100000, got 99999999/);
  });

  it('a seed is 32 bits, on the command line and in the config', async () => {
    await expectRefused(['bench', '--seed', String(2 ** 32)], /--seed: at most 4294967295/);
    writeConfig(JSON.stringify({ seed: 2 ** 32 }));
    await expectRefused(['bench'], /writegate\.config\.json: key "seed": the seed is at most 4294967295/);
  });
});

describe('every name is a name, and unique', () => {
  it('__proto__ as a writer name on the command line is refused, not dropped', async () => {
    await expectRefused(
      ['bench', '--writer-cmd', `__proto__=${WRITER}`],
      /--writer-cmd: "__proto__": names use letters, digits/,
    );
  });

  it('a name every object already answers to (constructor) is refused', async () => {
    await expectRefused(
      ['bench', '--writer-cmd', `constructor=${WRITER}`],
      /--writer-cmd: "constructor": constructor is reserved/,
    );
    await expectRefused(['parity', '--wrapper', 'toString=mytool git'], /--wrapper: "toString": toString is reserved/);
    await expectRefused(['hook', '--hook', 'valueOf=true'], /--hook: "valueOf": valueOf is reserved/);
  });

  it('__proto__ and constructor as names in the config are refused like any invalid key', async () => {
    // Written as text: JSON.parse makes "__proto__" an own key, as a user's file would.
    writeConfig(`{"writers": {"__proto__": {"command": "${WRITER}"}}}`);
    await expectRefused(['bench'], /writegate\.config\.json: key "writers\.__proto__": __proto__ cannot be a name/);
    writeConfig(`{"wrappers": {"constructor": "mytool git"}}`);
    await expectRefused(['parity'], /writegate\.config\.json: .*constructor is reserved/);
    writeConfig(`{"hookEnvs": {"compact": {"__proto__": "1"}}}`);
    await expectRefused(
      ['hook'],
      /writegate\.config\.json: key "hookEnvs\.compact\.__proto__": __proto__ cannot be a name/,
    );
  });

  it('__proto__ as a --hook-env variable is refused', async () => {
    await expectRefused(
      ['hook', '--hook', 'h=true', '--hook-env', 'compact:__proto__=1'],
      /--hook-env: "compact:__proto__=1": __proto__ cannot be a name/,
    );
  });

  it('a writer named twice on the command line is refused, not the last one silently taken', async () => {
    await expectRefused(
      ['bench', '--writer-cmd', `a=${WRITER}`, '--writer-cmd', `a=/usr/bin/python3 w.py {source} {target}`],
      /--writer-cmd: a is given twice/,
    );
    await expectRefused(
      ['bench', '--writer-cmd', `a=${WRITER}`, '--driver', 'a=atomic'],
      /--driver: a is given twice \(also by --writer-cmd\)/,
    );
    await expectRefused(
      ['parity', '--wrapper', 'w=mytool git', '--wrapper', 'w=other git'],
      /--wrapper: w is given twice/,
    );
    await expectRefused(['hook', '--hook', 'h=true', '--hook', 'h=false'], /--hook: h is given twice/);
  });

  it('an empty --cases selects nothing and is refused, so the parity rows are not replaced by none', async () => {
    await expectRefused(['parity', '--cases', ','], /--cases: "," names no case/);
    await expectRefused(['parity', '--cases', ''], /--cases: "" names no case/);
  });
});
