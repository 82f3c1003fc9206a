import type { Suite } from '../core/suite.js';

/** Placeholder until the crash suite lands. */
export const crashSuite: Suite = {
  name: 'crash',
  summary: 'crash suite (not implemented yet)',
  options: [],
  async run() {
    throw new Error('crash suite is not implemented yet');
  },
};
