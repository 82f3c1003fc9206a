/**
 * The layout's import rules (CONTRIBUTING.md, "Layout"), checked by test/architecture.test.ts through
 * scripts/architecture.ts, which also holds the one rule dependency-cruiser cannot say (checks run nothing).
 * Every dependency counts, `import type` included: a type import still ties one module's shape to another's.
 */
// The suites' directories; scripts/architecture.ts lists them too (SUITE_DIRS), and its test checks cli runs no other.
const SUITES = 'bench|crash|parity|hook';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Modules form no cycle, type-only imports included: a cycle hides which module owns a shape.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'suite-imports-suite',
      comment: 'Suites never import each other; what two suites share lives in core/.',
      severity: 'error',
      from: { path: `^(${SUITES})/` },
      to: { path: `^(${SUITES})/`, pathNot: '^$1/' },
    },
    {
      name: 'core-imports-outside-core',
      comment: 'core/ is what suites, analyze and cli build on: it imports no suite, no analyze and no cli.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: `^(${SUITES}|analyze|cli)/` },
    },
    {
      name: 'analyze-imports-suite-or-cli',
      comment: 'analyze/ knows only the CSV and its schema: it imports no suite and no cli.',
      severity: 'error',
      from: { path: '^analyze/' },
      to: { path: `^(${SUITES}|cli)/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test/fixtures)/' },
    // Type-only imports are in the graph, marked 'type-only' (so the checks rule can pass over them).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
