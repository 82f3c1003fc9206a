import type { Suite } from '../core/suite.js';

/** Placeholder until the parity suite lands. */
export const paritySuite: Suite = {
  name: 'parity',
  summary: 'parity suite (not implemented yet)',
  options: [],
  async run() {
    throw new Error('parity suite is not implemented yet');
  },
};
