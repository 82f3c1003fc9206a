import type { Suite } from '../core/suite.js';

/** Placeholder until the bench suite lands. */
export const benchSuite: Suite = {
  name: 'bench',
  summary: 'bench suite (not implemented yet)',
  options: [],
  async run() {
    throw new Error('bench suite is not implemented yet');
  },
};
