import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused } from '../test/support/refused.js';

const cli = useCliHarness({ prefix: 'wg-cli-', chdir: true });

/** The bad-input contract with `--out out` added: exit 2, one line, nothing written. */
const expectBadInput = (args: string[], mentions: RegExp) => expectRefused(cli, [...args, '--out', 'out'], mentions);

describe('bad input gets one line and exit 2', () => {
  it('unknown option', async () => {
    await expectBadInput(['bench', '--bogus'], /unknown option '--bogus'/);
  });

  it('unknown command', async () => {
    await expectBadInput(['benchmark'], /unknown command 'benchmark'/);
  });

  it('bad profile', async () => {
    await expectBadInput(['bench', '--profile', 'huge'], /--profile.*huge/);
  });

  it('malformed --writer-cmd', async () => {
    await expectBadInput(['bench', '--writer-cmd', 'no-equals-sign'], /--writer-cmd: expected NAME=COMMAND/);
  });

  it('--writer-cmd without {source}', async () => {
    await expectBadInput(
      ['bench', '--writer-cmd', 'py=python3 w.py {target}'],
      /writer py: template must contain \{source\}/,
    );
  });

  it('--writer-cmd with shell syntax', async () => {
    await expectBadInput(['bench', '--writer-cmd', 'py=python3 w.py {source} {target} | tee log'], /shell syntax "\|"/);
  });

  it('--batch-cmd for a writer no --writer-cmd names', async () => {
    await expectBadInput(
      ['bench', '--batch-cmd', 'py=/usr/bin/python3 w.py {pairs}'],
      /--batch-cmd: no --writer-cmd named py/,
    );
  });

  it('--batch-cmd without {pairs}', async () => {
    await expectBadInput(
      [
        'bench',
        ...['--writer-cmd', 'py=/usr/bin/python3 w.py {source} {target}'],
        ...['--batch-cmd', 'py=/usr/bin/python3 w.py --batch {source} {target}'],
      ],
      /writer py batch: unknown placeholder \{source\}; known: \{pairs\} \{mode\}/,
    );
  });

  it('--batch-cmd with {pairs} inside an argument', async () => {
    await expectBadInput(
      [
        'crash',
        ...['--writer-cmd', 'py=/usr/bin/python3 w.py {source} {target}'],
        ...['--batch-cmd', 'py=/usr/bin/python3 w.py --files={pairs}'],
      ],
      /writer py batch: \{pairs\} must be an argument of its own/,
    );
  });

  it('bad size', async () => {
    await expectBadInput(['bench', '--sizes', '1KiB,lots'], /--sizes: not a size: "lots"/);
  });

  it('a size with a bare k, which could mean 1000 or 1024', async () => {
    await expectBadInput(
      ['bench', '--sizes', '128k'],
      /--sizes: "128k" is ambiguous: write 128KiB \(128 × 1024\) or 128KB \(128 × 1000\)/,
    );
  });

  it('unknown subject', async () => {
    await expectBadInput(['bench', '--subjects', 'nope'], /--subjects: unknown subject\(s\) nope/);
  });

  it('config file with an unknown key', async () => {
    fs.writeFileSync('writegate.config.json', JSON.stringify({ writers: { py: { comand: 'x' } } }));
    await expectBadInput(['bench'], /writegate\.config\.json: .*writers\.py/);
  });

  it('config file with a wrong type', async () => {
    fs.writeFileSync('writegate.config.json', JSON.stringify({ sizes: ['1KiB'] }));
    await expectBadInput(['bench'], /writegate\.config\.json: key "sizes\.0"/);
  });

  it('config file that is not JSON', async () => {
    fs.writeFileSync('bad.json', '{ writers: ');
    await expectBadInput(['bench', '--config', 'bad.json'], /bad\.json: not valid JSON/);
  });

  it('gate with a malformed thresholds file stops before any suite runs', async () => {
    fs.writeFileSync('bad.json', JSON.stringify({ gates: { 'bench.unchanged_p50': { threshhold: 3 } } }));
    await expectBadInput(['gate', '--thresholds', 'bad.json'], /bad\.json: .*threshhold/);
  });

  it('gate with a thresholds file naming no known gate stops before any suite runs', async () => {
    fs.writeFileSync('bad.json', JSON.stringify({ gates: { 'bench.no_such_gate': { threshold: 3 } } }));
    await expectBadInput(
      ['gate', '--thresholds', 'bad.json'],
      /bad\.json: key "gates\.bench\.no_such_gate": no such gate/,
    );
  });

  it('gate with a missing known-differences file stops before any suite runs', async () => {
    await expectBadInput(['gate', '--known-differences', 'nope.json'], /nope\.json: cannot read/);
  });

  it('missing config file', async () => {
    await expectBadInput(['bench', '--config', 'missing.json'], /missing\.json: cannot read \(ENOENT\)/);
  });
});

describe('help', () => {
  it('--help exits 0 and lists the commands', async () => {
    expect(await main(['--help'])).toBe(0);
    for (const command of ['bench', 'crash', 'parity', 'analyze', 'gate']) expect(cli.stdout).toContain(command);
  });
});
