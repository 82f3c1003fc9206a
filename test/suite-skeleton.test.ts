import { describe, expect, it } from 'vitest';
import { SUITES } from '../cli/main.js';
import { PROFILES } from '../core/profile.js';
import { resolveSubjects } from '../core/subjects/resolve.js';
import type { PlanContext } from '../core/suite.js';
import { optionKey, parseOptions } from '../core/suite-options.js';

// Each suite's files and how they import each other are checked in test/architecture.test.ts.
describe('every suite', () => {
  it.each(SUITES.map((suite) => [suite.name, suite] as const))(
    '%s: each declared flag has exactly one parser, and the defaults parse',
    (_, suite) => {
      const declared = suite.options.map((option) => optionKey(option.flags)).sort();
      const parsed = Object.keys(parseOptions(suite.optionsSchema, {}) as Record<string, unknown>).sort();
      expect(parsed).toEqual(declared);
    },
  );

  it.each(SUITES.map((suite) => [suite.name, suite] as const))(
    '%s: plans its work for the whole-run ETA, more in full than in quick',
    (_, suite) => {
      const work = PROFILES.map((profile) => {
        // hook plans nothing without a hook to run; node is on PATH wherever the tests run.
        const ctx: PlanContext = {
          profile,
          config: { hooks: { sample: 'node hook.mjs' } },
          subjects: resolveSubjects({}, undefined),
          sizes: [1024, 128 * 1024, 8 * 1024 * 1024],
          fileSystems: [],
        };
        return suite.plannedWork?.(suite.plan(ctx, parseOptions(suite.optionsSchema, {})));
      });
      expect(PROFILES).toEqual(['quick', 'full']);
      for (const figure of work) expect(Number.isFinite(figure) && (figure as number) >= 0).toBe(true);
      expect(work[1] as number).toBeGreaterThanOrEqual(work[0] as number);
    },
  );
});
