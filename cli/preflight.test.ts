/**
 * Bad input is refused before anything is measured: exit 2, one stderr line naming what and where,
 * no stack trace, no results file written (an existing one unchanged). Each case here was found by an
 * audit of the CLI; the quick options keep a run short should the check ever stop happening up front.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused as refused } from '../test/support/refused.js';
import { readResultsCsv } from '../core/csv.js';
import { METRICS } from '../core/schema.js';

const PASS_CSV = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/pass.csv');

const cli = useCliHarness({ prefix: 'wg-preflight-', chdir: true });

/** bench as short as it gets, so a check that comes too late costs seconds, not minutes. */
const QUICK_BENCH = [
  'bench',
  '--subjects',
  'reference',
  '--sizes',
  '1KiB',
  '--modes',
  'durable',
  '--samples',
  '2',
  '--trace-writes',
  '0',
];

const expectRefused = (args: string[], mentions: RegExp) => refused(cli, args, mentions);

const OUT = ['--out', 'out'];

describe('--out', () => {
  it('a file is refused before measuring, the file unchanged', async () => {
    fs.writeFileSync('out', 'not a directory\n');
    await expectRefused([...QUICK_BENCH, ...OUT], /--out: .*\/out is not a directory/);
    expect(fs.readFileSync('out', 'utf8')).toBe('not a directory\n');
  });

  it('below a file is refused', async () => {
    fs.writeFileSync('file', 'x');
    await expectRefused(
      [...QUICK_BENCH, '--out', 'file/results'],
      /--out: cannot create .*\/file\/results: .*\/file is not a directory/,
    );
  });

  it('an empty --out is refused instead of writing into the current directory', async () => {
    await expectRefused([...QUICK_BENCH, '--out', ''], /--out: empty; give a directory/);
    expect(fs.readdirSync(cli.dir)).toEqual([]);
  });

  it('an empty --out for analyze is refused too', async () => {
    await expectRefused(['analyze', PASS_CSV, '--out', ''], /--out: empty/);
  });

  // Root writes into a mode-555 directory, so as root the directory is made immutable instead.
  const readOnly = (dir: string): (() => void) | undefined => {
    if (process.getuid?.() !== 0) {
      fs.chmodSync(dir, 0o555);
      return () => fs.chmodSync(dir, 0o755);
    }
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
      return () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
  };

  it('a read-only directory is refused before measuring, its results file unchanged', async (context) => {
    fs.mkdirSync('out');
    fs.writeFileSync(path.join('out', 'results_raw.csv'), 'the previous run\n');
    const undo = readOnly(path.join(cli.dir, 'out'));
    if (!undo) return context.skip();
    try {
      await expectRefused([...QUICK_BENCH, ...OUT], /--out: .*\/out is not writable \(E(ACCES|PERM|ROFS)\)/);
    } finally {
      undo();
    }
    expect(fs.readFileSync(path.join('out', 'results_raw.csv'), 'utf8')).toBe('the previous run\n');
  });
});

describe('gate --suites', () => {
  it('an unknown suite is named with the ones there are', async () => {
    await expectRefused(
      ['gate', '--suites', 'bench,nope', ...OUT],
      /--suites: expected some of bench, crash, parity, hook, got "bench,nope"/,
    );
  });

  it('hook without a hook to run is refused rather than judging nothing', async () => {
    await expectRefused(['gate', '--suites', 'hook', ...OUT], /--suites: hook needs a hook to run/);
  });
});

describe('sizes', () => {
  it('--sizes past the maximum is named, not an internal error after measuring', async () => {
    await expectRefused(
      ['bench', '--sizes', '1KiB,100GiB', ...OUT],
      /--sizes: "100GiB" is larger than the maximum payload size, 1 GiB/,
    );
  });

  it('a config size past the maximum is named with its key', async () => {
    fs.writeFileSync('writegate.config.json', JSON.stringify({ sizes: [1024, 2 * 1024 ** 3] }));
    await expectRefused(['bench', ...OUT], /writegate\.config\.json: key "sizes\.1": payload sizes are at most 1 GiB/);
  });
});

describe('writer, driver and wrapper templates', () => {
  it('a --writer-cmd whose binary does not exist', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=/nonexistent/writer {source} {target}', ...OUT],
      /writer w: "\/nonexistent\/writer" is not an executable file$/,
    );
  });

  it('a --writer-cmd whose program is not on PATH', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=no-such-writer-xyz {source} {target}', ...OUT],
      /writer w: "no-such-writer-xyz" is not an executable file on PATH/,
    );
  });

  it('a --writer-noop whose binary does not exist', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=/bin/cp {source} {target}', '--writer-noop', 'w=/nonexistent/noop', ...OUT],
      /writer w noop: "\/nonexistent\/noop" is not an executable file/,
    );
  });

  it('a --driver whose binary does not exist', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--driver', 'd=/nonexistent/driver --serve', ...OUT],
      /driver d: "\/nonexistent\/driver" is not an executable file/,
    );
  });

  it('an unknown placeholder in --writer-cmd', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=/bin/cp {source} {target} {sizee}', ...OUT],
      /writer w: unknown placeholder \{sizee\}; known: \{source\} \{target\} \{mode\}/,
    );
  });

  it('a placeholder in a --writer-noop (it is run as is)', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=/bin/cp {source} {target}', '--writer-noop', 'w=/bin/true {target}', ...OUT],
      /writer w noop: unknown placeholder \{target\}/,
    );
  });

  it('a placeholder in a --driver', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--driver', 'd=/bin/cat {source}', ...OUT],
      /driver d: unknown placeholder \{source\}; a driver command takes none/,
    );
  });

  it('a glob in --writer-cmd is refused, as docs/writers.md says', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--writer-cmd', 'w=/bin/cp {source} {target} *.bak', ...OUT],
      /writer w: glob "\*\.bak" is not expanded/,
    );
  });

  it('a placeholder in a --wrapper', async () => {
    await expectRefused(
      ['parity', '--cases', 'add.file', '--wrapper', 'w=git -C {dir}', ...OUT],
      /wrapper w: unknown placeholder \{dir\}; a wrapper takes none/,
    );
  });

  it('a glob in a --wrapper', async () => {
    await expectRefused(
      ['parity', '--cases', 'add.file', '--wrapper', 'w=/usr/bin/env git*', ...OUT],
      /wrapper w: glob "git\*" is not expanded/,
    );
  });

  it('gate with a --git that does not exist stops before bench and crash run', async () => {
    await expectRefused(
      ['gate', '--git', '/nonexistent/git', ...OUT],
      /--git: "\/nonexistent\/git" is not an executable file/,
    );
  }, 120_000);
});

describe('config, thresholds and known-differences files', () => {
  it("invalid config JSON is one line: the newlines of the parser's quote are escaped", async () => {
    fs.writeFileSync('bad.json', '{\n  "sizes": x\n}\n');
    await expectRefused(['bench', '--config', 'bad.json', ...OUT], /bad\.json: not valid JSON \(.*\\n.*\)/);
  });

  it('parity without --readiness refuses a broken known-differences file', async () => {
    fs.writeFileSync(
      'known.json',
      JSON.stringify({ differences: [{ case: 'push.no-remote', metric: 'exit_code_match' }] }),
    );
    await expectRefused(
      ['parity', '--cases', 'add.file', '--known-differences', 'known.json', ...OUT],
      /known\.json: key "differences\.0\.rationale"/,
    );
  });

  it('analyze refuses a broken known-differences file even without parity rows', async () => {
    fs.writeFileSync('known.json', '{ "differences": [');
    await expectRefused(
      ['analyze', PASS_CSV, '--known-differences', 'known.json', ...OUT],
      /known\.json: not valid JSON/,
    );
  });

  it('bench refuses a broken thresholds file named in the config', async () => {
    fs.writeFileSync('thresholds.json', JSON.stringify({ gates: { 'bench.unchanged_p50': { treshold: 3 } } }));
    fs.writeFileSync('writegate.config.json', JSON.stringify({ thresholds: 'thresholds.json' }));
    await expectRefused(
      [...QUICK_BENCH, ...OUT],
      /thresholds\.json: unknown key "gates\.bench\.unchanged_p50\.treshold"/,
    );
  });
});

describe('strace', () => {
  /** PATH without strace (an empty directory): the suites spawn node by its absolute path. */
  function withoutStrace(): void {
    fs.mkdirSync('empty-bin');
    vi.stubEnv('PATH', path.join(cli.dir, 'empty-bin'));
  }

  it('bench accounting without strace: exit 2 naming the package and --skip-unavailable', async () => {
    withoutStrace();
    await expectRefused(
      [...QUICK_BENCH, '--trace-writes', '1', ...OUT],
      /strace not found on PATH \(needed for bench fsync\/rename\/bytes accounting.*apt-get install strace.*--skip-unavailable/,
    );
  });

  it('crash scenarios that need strace, with --crash-strace naming a missing one: exit 2', async () => {
    await expectRefused(
      [
        'crash',
        '--subjects',
        'reference',
        '--sizes',
        '1KiB',
        '--crash-scenarios',
        'kill_at_step,random_kill',
        '--crash-strace',
        '/nonexistent/strace',
        ...OUT,
      ],
      /strace not found at \/nonexistent\/strace \(needed for crash kill_at_step\).*apt-get install strace/,
    );
  });

  it('--trace-writes 0 needs no strace', async () => {
    withoutStrace();
    expect(await main([...QUICK_BENCH, ...OUT])).toBe(0);
  }, 60_000);

  it('--skip-unavailable: bench runs, says so once, and writes a skipped row (never a pass)', async () => {
    withoutStrace();
    expect(await main([...QUICK_BENCH, '--trace-writes', '1', '--skip-unavailable', ...OUT])).toBe(0);
    expect(cli.stderr.split('\n').filter((line) => line.includes('strace not found'))).not.toHaveLength(0);
    const rows = readResultsCsv(path.join(cli.dir, 'out', 'results_raw.csv'));
    expect(rows.filter((row) => row.metric === METRICS.skipped).map((row) => [row.suite, row.scenario])).toEqual([
      ['bench', 'accounting'],
    ]);
    expect(rows.some((row) => row.metric === METRICS.fsyncCount)).toBe(false);
  }, 60_000);

  it('--skip-unavailable: crash skips what needs strace with skipped rows and runs the rest', async () => {
    expect(
      await main([
        'crash',
        '--subjects',
        'reference',
        '--sizes',
        '1KiB',
        '--crash-scenarios',
        'kill_at_step,cas_stale',
        '--crash-strace',
        '/nonexistent/strace',
        '--skip-unavailable',
        ...OUT,
      ]),
    ).toBe(0);
    const rows = readResultsCsv(path.join(cli.dir, 'out', 'results_raw.csv'));
    expect(
      rows.filter((row) => row.metric === METRICS.skipped && row.scenario !== 'all').map((row) => row.scenario),
    ).toEqual(['kill_at_step']);
    expect(rows.some((row) => row.scenario === 'cas_stale')).toBe(true);
  }, 120_000);
});
