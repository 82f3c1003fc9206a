import { SUITES } from '../../core/schema.js';
import type { SuiteSection } from '../section.js';
import type { GatedSuite } from '../types.js';
import { benchSection } from './bench.js';
import { crashSection } from './crash.js';
import { genericSection } from './generic.js';
import { hookSection } from './hook.js';
import { paritySection } from './parity.js';

/**
 * Every suite's section, in report order. A suite plugs in by adding its one file here
 * (analyze/README-sections.md); a suite without an entry gets the generic overview and no gates.
 */
export const SECTIONS: readonly SuiteSection[] = [benchSection, crashSection, paritySection, hookSection];

export const GATED_SUITES: readonly GatedSuite[] = SUITES.filter((suite): suite is GatedSuite => suite !== 'env');

export function sectionFor(suite: GatedSuite, registry: readonly SuiteSection[] = SECTIONS): SuiteSection {
  return registry.find((section) => section.suite === suite) ?? genericSection(suite);
}
