/**
 * The layout's import rules (scripts/architecture.ts, .dependency-cruiser.mjs) on this repository, and
 * on small planted trees that show each rule reports what it exists for, and nothing on a clean tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IModule } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITES as REGISTERED } from '../cli/main.js';
import { compareWithKnown, cruiseTree, knownViolations, reachableFrom, SUITE_DIRS } from '../scripts/architecture.js';

const REPO = path.resolve(import.meta.dirname, '..');

describe('this repository', () => {
  let graph: { modules: IModule[]; violations: string[] };
  beforeAll(async () => {
    graph = await cruiseTree();
  });

  it('breaks no layout rule beyond the known ones (scripts/architecture-known.json)', () => {
    const { added } = compareWithKnown(graph.violations, knownViolations());
    expect(added).toEqual([]);
  });

  it('every suite cli runs is one the rules know', () => {
    expect(REGISTERED.map((suite) => suite.name).sort()).toEqual([...SUITE_DIRS].sort());
  });

  it.each(SUITE_DIRS)(
    '%s: has the skeleton every suite shares, and cli reaches each role through its index.ts',
    (suite) => {
      expect(fs.existsSync(path.join(REPO, suite, 'README.md'))).toBe(true);
      expect(reachableFrom(graph.modules, 'cli/main.ts').has(`${suite}/index.ts`)).toBe(true);
      const fromIndex = reachableFrom(graph.modules, `${suite}/index.ts`);
      const roles = ['options.ts', 'types.ts', 'cases.ts', 'plan.ts', 'runner.ts', 'checks.ts', 'rows.ts'];
      expect(roles.filter((role) => !fromIndex.has(`${suite}/${role}`))).toEqual([]);
    },
  );
});

/** A small tree shaped like the repository, where every import is allowed. */
const CLEAN: Record<string, string> = {
  'core/process.ts': `export interface RunResult { code: number }\nexport function run(): RunResult { return { code: 0 }; }\n`,
  'core/spawner.ts': `import { run } from './process.js';\nexport const spawn = run;\n`,
  'core/schema.ts': `export interface Row { metric: string }\n`,
  'bench/options.ts': `export interface BenchOptions { rounds: number }\n`,
  'bench/index.ts': `import { plan } from './plan.js';\nexport const bench = { plan };\n`,
  'bench/plan.ts': `import type { BenchOptions } from './options.js';\nexport const plan = (o: BenchOptions) => o.rounds;\n`,
  'bench/runner.ts':
    `import { run } from '../core/process.js';\nimport { judge } from './checks.js';\nexport ` +
    `const go = () => judge(run());\n`,
  // A checks file may name the shape of what it judges: a type-only import loads nothing.
  'bench/checks.ts':
    `import type { RunResult } from '../core/process.js';\nimport type { Row ` +
    `} from '../core/schema.js';\nexport const judge = (r: RunResult): Row ` +
    `=> ({ metric: String(r.code) });\n`,
  'crash/index.ts': `import { spawn } from '../core/spawner.js';\nexport const crash = { spawn };\n`,
  'analyze/analyze.ts': `import type { Row } from '../core/schema.js';\nexport const analyze = (rows: Row[]) => rows.length;\n`,
  'cli/main.ts':
    `import { bench } from '../bench/index.js';\nimport { crash } from '../crash/index.js';\nimport ` +
    `{ analyze } from '../analyze/analyze.js';\nexport const all = [bench, ` +
    `crash, analyze];\n`,
};

describe('the rules, on a planted tree', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  async function violationsWith(planted: Record<string, string>): Promise<string[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-architecture-'));
    roots.push(root);
    for (const [file, text] of Object.entries({ ...CLEAN, ...planted })) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: object;
    };
    fs.writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: tsconfig.compilerOptions, include: ['**/*.ts'] }),
    );
    // So that a planted `execa` resolves as it does in the repository.
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
    return (await cruiseTree(root)).violations;
  }

  it('the clean tree breaks no rule', async () => {
    expect(await violationsWith({})).toEqual([]);
  });

  it('a cycle made only of type imports is reported', async () => {
    const planted = {
      'bench/plan.ts': `import type { Bench } from './index.js';\nexport type Plan = (b: Bench) => number;\n`,
      'bench/index.ts':
        `import type { Plan } from './plan.js';\nexport interface Bench { rounds: ` +
        `number; plan?: Plan }\nexport const bench = { rounds: 1 };\n`,
    };
    expect(await violationsWith(planted)).toEqual(['no-cycle: bench/index.ts → bench/plan.ts → bench/index.ts']);
  });

  it('a suite importing another suite is reported, a type import too', async () => {
    expect(
      await violationsWith({ 'crash/runner.ts': `import { plan } from '../bench/plan.js';\nexport const p = plan;\n` }),
    ).toEqual(['suite-imports-suite: crash/runner.ts → bench/plan.ts']);
    expect(
      await violationsWith({
        'crash/runner.ts': `import type { BenchOptions } from '../bench/options.js';\nexport type O = BenchOptions;\n`,
      }),
    ).toEqual(['suite-imports-suite: crash/runner.ts → bench/options.ts']);
  });

  it('core importing a suite, analyze or cli, and analyze importing a suite or cli, are reported', async () => {
    expect(
      await violationsWith({
        'core/schema.ts':
          `import type { BenchOptions } from '../bench/options.js';\nexport interface ` +
          `Row { metric: string; o?: BenchOptions }\n`,
      }),
    ).toEqual(['core-imports-outside-core: core/schema.ts → bench/options.ts']);
    expect(
      await violationsWith({
        'core/writer.ts': `import { analyze } from '../analyze/analyze.js';\nexport const w = analyze;\n`,
      }),
    ).toEqual(['core-imports-outside-core: core/writer.ts → analyze/analyze.ts']);
    expect(
      await violationsWith({ 'analyze/report.ts': `import { all } from '../cli/main.js';\nexport const r = all;\n` }),
    ).toEqual(['analyze-imports-suite-or-cli: analyze/report.ts → cli/main.ts']);
    expect(
      await violationsWith({
        'analyze/report.ts': `import { crash } from '../crash/index.js';\nexport const r = crash;\n`,
      }),
    ).toEqual(['analyze-imports-suite-or-cli: analyze/report.ts → crash/index.ts']);
  });

  it('a checks file that imports node:fs is reported', async () => {
    const planted = {
      'bench/checks.ts': `import fs from 'node:fs';\nexport const judge = (target: string) => fs.readFileSync(target, 'utf8');\n`,
    };
    expect(await violationsWith(planted)).toEqual(['checks-run-nothing: bench/checks.ts → fs']);
  });

  it('a checks file that starts processes, directly or through another module, is reported', async () => {
    expect(
      await violationsWith({
        'crash/checks/kill.ts': `import { execFileSync } from 'node:child_process';\nexport const k = () => execFileSync('true');\n`,
      }),
    ).toEqual(['checks-run-nothing: crash/checks/kill.ts → child_process']);
    expect(
      await violationsWith({
        'crash/checks.ts': `import { execa } from 'execa';\nexport const k = () => execa('true');\n`,
      }),
    ).toEqual(['checks-run-nothing: crash/checks.ts → execa']);
    const throughHelper = {
      'crash/recovery.ts': `import { spawn } from '../core/spawner.js';\nexport const recover = () => spawn();\n`,
      'crash/checks.ts': `import { recover } from './recovery.js';\nexport const check = () => recover();\n`,
    };
    expect(await violationsWith(throughHelper)).toEqual([
      'checks-run-nothing: crash/checks.ts → crash/recovery.ts → core/spawner.ts',
    ]);
  });

  it('a known violation is set apart from a new one, and a fixed one is named', () => {
    expect(compareWithKnown(['a', 'b'], ['b', 'c'])).toEqual({ added: ['a'], gone: ['c'] });
  });
});
