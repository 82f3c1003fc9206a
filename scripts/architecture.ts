/**
 * The layout's import rules, checked over the real import graph (dependency-cruiser, `import type`
 * included):
 *
 *   npx tsx scripts/architecture.ts        (npm run lint:deps)
 *
 * The declarative rules (no cycle, no suite imports another, core and analyze stay below the suites and
 * cli) are in .dependency-cruiser.mjs. One rule is here because dependency-cruiser cannot follow only
 * run-time imports: a suite's checks (`<suite>/checks.ts`, `<suite>/checks/*.ts`) judge outcomes they
 * are handed, so nothing they load at run time, directly or through other modules, may touch the disk or
 * start a process (node:fs, node:child_process, core/process.ts, core/spawner.ts, execa). `import type`
 * loads nothing and is allowed (a plain `import { T }` of a type counts as loading its module).
 *
 * Violations found before the rules existed are listed in scripts/architecture-known.json: they are
 * reported as known, and fail nothing. Anything else fails; a known one that is gone is reported so its
 * line can be deleted. Exits 1 on a new violation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KNOWN_FILE = path.join(REPO, 'scripts', 'architecture-known.json');

/** What is cruised: every source directory; fixtures are other programs' code, not writegate's. */
export const SOURCES = ['index.ts', 'cli', 'core', 'bench', 'crash', 'parity', 'hook', 'analyze', 'test', 'scripts'];

/** The suites' directories, as .dependency-cruiser.mjs names them. */
export const SUITE_DIRS = ['bench', 'crash', 'parity', 'hook'];
const CHECKS_FILE = new RegExp(`^(${SUITE_DIRS.join('|')})/(checks\\.ts|checks/[^/]+\\.ts)$`);
const TEST_FILE = /\.test\.ts$/;
/** What a checks file may not load at run time. */
const RUNS_SOMETHING =
  /^(fs|fs\/promises|child_process|core\/process\.ts|core\/spawner\.ts|(.*\/)?node_modules\/execa\/.*)$/;

/** One violation, as one line: the rule, then the modules (a cycle's or a chain's path, or from → to). */
export type Violation = string;

/**
 * The import graph of the tree at `root` (the repository, or a test's copy) and its violations of the rules, sorted.
 */
export async function cruiseTree(
  root: string = REPO,
  sources: string[] = SOURCES,
): Promise<{ modules: IModule[]; violations: Violation[] }> {
  const config = await extractDepcruiseOptions(path.join(REPO, '.dependency-cruiser.mjs'));
  const { ruleSet, ...options } = config as typeof config & { ruleSet: NonNullable<typeof config.ruleSet> };
  const tsConfig = path.join(root, 'tsconfig.json');
  const existing = sources.filter((source) => fs.existsSync(path.join(root, source)));
  const { output } = await cruise(
    existing,
    { ...options, ruleSet, validate: true, baseDir: root, tsConfig: { fileName: tsConfig }, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(tsConfig) },
  );
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  const declared = result.summary.violations.map((violation) => {
    const chain = violation.cycle?.length
      ? [violation.from, ...violation.cycle.map((step) => step.name)]
      : [violation.from, violation.to];
    return `${violation.rule.name}: ${chain.join(' → ')}`;
  });
  return {
    modules: result.modules,
    violations: [...new Set([...declared, ...checksThatRunSomething(result.modules)])].sort(),
  };
}

/** Every module `start` loads, directly or not, type-only imports included. */
export function reachableFrom(modules: readonly IModule[], start: string): Set<string> {
  const bySource = new Map(modules.map((module) => [module.source, module]));
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const dependency of bySource.get(queue.shift() as string)?.dependencies ?? []) {
      if (seen.has(dependency.resolved)) continue;
      seen.add(dependency.resolved);
      queue.push(dependency.resolved);
    }
  }
  return seen;
}

/**
 * The checks rule: from each checks file, follow run-time imports only, and name the first path to a forbidden module.
 */
function checksThatRunSomething(modules: readonly IModule[]): Violation[] {
  const bySource = new Map(modules.map((module) => [module.source, module]));
  const found: Violation[] = [];
  for (const start of modules.filter((module) => CHECKS_FILE.test(module.source) && !TEST_FILE.test(module.source))) {
    const cameFrom = new Map<string, string>([[start.source, '']]);
    const queue = [start.source];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const dependency of bySource.get(current)?.dependencies ?? []) {
        if (
          dependency.dependencyTypes.includes('pre-compilation-only') ||
          dependency.dependencyTypes.includes('type-only')
        )
          continue;
        const next = dependency.resolved;
        if (cameFrom.has(next)) continue;
        cameFrom.set(next, current);
        if (RUNS_SOMETHING.test(next)) {
          const chain = [next];
          for (let at = current; at !== ''; at = cameFrom.get(at) as string) chain.unshift(at);
          // A file inside execa is shown as just `execa`.
          const shown = chain.map((step) => step.replace(/^.*node_modules\/(execa)\/.*$/, '$1'));
          found.push(`checks-run-nothing: ${shown.join(' → ')}`);
        } else queue.push(next);
      }
    }
  }
  return found;
}

export function knownViolations(file = KNOWN_FILE): Violation[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { violations: Violation[] }).violations;
}

/** The current violations against the known ones: what is new (fails) and what is gone (its line can go). */
export function compareWithKnown(
  current: readonly Violation[],
  known: readonly Violation[],
): { added: Violation[]; gone: Violation[] } {
  return { added: current.filter((v) => !known.includes(v)), gone: known.filter((v) => !current.includes(v)) };
}

async function main(): Promise<number> {
  const { violations: current } = await cruiseTree();
  const { added, gone } = compareWithKnown(current, knownViolations());
  const stillKnown = current.filter((violation) => !added.includes(violation));
  for (const violation of stillKnown) console.log(`known: ${violation}`);
  for (const violation of gone) console.log(`fixed (delete it from ${path.relative(REPO, KNOWN_FILE)}): ${violation}`);
  for (const violation of added) console.error(`error: ${violation}`);
  console.log(`architecture: ${added.length} new, ${stillKnown.length} known, ${gone.length} fixed`);
  return added.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`architecture: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(3);
    },
  );
}
