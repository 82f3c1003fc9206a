/**
 * What the hook shim adds to every agent tool call: the hook alone, then the same hook behind the
 * shim script, then behind `writegate hook-shim` (Node), taken in turns, each call a real process
 * with a real PreToolUse input on its stdin, timed from spawn to exit. Then, when hyperfine is
 * installed, its medians for the hook alone and behind the script in the same run, and the ratio of
 * the two overhead figures.
 *
 *   npx tsx hook/scripts/shim-overhead.ts [--runs 100] [--hook PATH] [--built]
 *
 * The default hook is a two-line sh script that reads the call and rewrites it (about what a real
 * compacting hook costs when it is quick). --built times `node dist/cli/bin.js hook-shim` (after
 * `npm run build`); without it that arm is left out rather than timed through tsx's loader.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parsePositiveInt } from '../../core/parse.js';
import { packageRoot } from '../../core/self-script.js';
import { percentile } from '../../core/stats.js';
import { hyperfineMedianMs } from '../../core/hyperfine.js';
import { SHIM_SCRIPT } from '../shim.js';

const INPUT = JSON.stringify({
  session_id: 'b7e1c2d3-0000-4000-8000-000000000001',
  transcript_path: '/home/dev/.claude/projects/p/b7e1c2d3-0000-4000-8000-000000000001.jsonl',
  cwd: '/home/dev/project',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'git status --short', description: 'status' },
  tool_use_id: 'toolu_01Overhead',
});

const HOOK_OUTPUT = JSON.stringify({
  hookSpecificOutput: {
    hookEventName: 'PreToolUse',
    permissionDecision: 'allow',
    updatedInput: { command: 'mytool git status --short' },
  },
});

const DEFAULT_HOOK = `#!/bin/sh
cat >/dev/null
printf '${HOOK_OUTPUT}\\n'
`;

/** One call: spawn with the input file on stdin, resolve the milliseconds to exit. */
function timeOnce(argv: readonly string[], inputFile: string): Promise<number> {
  const stdin = fs.openSync(inputFile, 'r');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: [stdin, 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      fs.closeSync(stdin);
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}`));
      else resolve(ms);
    });
  });
}

function summary(samples: readonly number[]): string {
  return (
    `median ${percentile(samples, 50).toFixed(1)} ms (p25 ${percentile(samples, 25).toFixed(1)}, ` +
    `p75 ${percentile(samples, 75).toFixed(1)})`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100' },
      hook: { type: 'string' },
      built: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const runs = parsePositiveInt(String(values.runs), '--runs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-shim-overhead-'));
  try {
    const inputFile = path.join(dir, 'input.json');
    fs.writeFileSync(inputFile, INPUT);
    let hook = values.hook;
    if (!hook) {
      hook = path.join(dir, 'hook.sh');
      fs.writeFileSync(hook, DEFAULT_HOOK, { mode: 0o755 });
    }
    const log = path.join(dir, 'audit.jsonl');
    const arms: Array<[string, string[]]> = [
      ['hook alone', [hook]],
      ['writegate-hook-shim (sh)', ['/bin/sh', SHIM_SCRIPT, '--log', log, '--', hook]],
    ];
    if (values.built)
      arms.push([
        'writegate hook-shim (Node)',
        [process.execPath, path.join(packageRoot, 'dist', 'cli', 'bin.js'), 'hook-shim', '--log', log, '--', hook],
      ]);
    const samples = new Map<string, number[]>(arms.map(([name]) => [name, []]));
    for (const [, argv] of arms) for (let i = 0; i < 5; i++) await timeOnce(argv, inputFile);
    for (let i = 0; i < runs; i++)
      for (const [name, argv] of arms) samples.get(name)?.push(await timeOnce(argv, inputFile));

    const alone = percentile(samples.get('hook alone') as number[], 50);
    console.log(
      `${runs} calls each, in turns, spawn to exit (${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(2)}):`,
    );
    for (const [name] of arms) {
      const mine = samples.get(name) as number[];
      const overhead = name === 'hook alone' ? '' : `; overhead ${(percentile(mine, 50) - alone).toFixed(1)} ms`;
      console.log(`  ${name.padEnd(28)} ${summary(mine)}${overhead}`);
    }

    if (spawnSync('hyperfine', ['--version']).status === 0) {
      // hyperfine 1.15 has no --input: both commands run through its shell, whose start it subtracts.
      const medianOf = (command: string, name: string): number => {
        const json = path.join(dir, `${name}.json`);
        const ran = spawnSync(
          'hyperfine',
          ['--warmup', '5', '--runs', String(runs), '--style', 'none', '--export-json', json, command],
          { encoding: 'utf8' },
        );
        if (ran.status !== 0) throw new Error(`hyperfine failed: ${ran.stderr.trim().split('\n')[0]}`);
        return hyperfineMedianMs(fs.readFileSync(json, 'utf8'), json);
      };
      const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      const hookOnly = medianOf(`${q(hook)} < ${q(inputFile)}`, 'hook');
      const shimmed = medianOf(`/bin/sh ${q(SHIM_SCRIPT)} --log ${q(log)} -- ${q(hook)} < ${q(inputFile)}`, 'shim');
      const ours = percentile(samples.get('writegate-hook-shim (sh)') as number[], 50) - alone;
      console.log(
        `hyperfine, same run: hook alone median ${hookOnly.toFixed(1)} ms, behind ` +
          `the shim ${shimmed.toFixed(1)} ms; overhead ${(shimmed - hookOnly).toFixed(1)} ms ` +
          `(this script's / hyperfine's: ${(ours / (shimmed - hookOnly)).toFixed(2)})`,
      );
    } else {
      console.log('hyperfine not installed: no side-by-side figure (Debian: apt-get install hyperfine)');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
