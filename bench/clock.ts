import { performance } from 'node:perf_hooks';

/**
 * The time source both sampling engines read, in milliseconds. Production uses the monotonic
 * high-resolution clock; tests inject a clock that only moves when a fake writer says so, which is
 * how the statistics are tested without timing noise.
 */
export interface Clock {
  readonly name: string;
  now(): number;
}

export const monotonicClock: Clock = {
  name: 'performance.now (monotonic, hrtime-based)',
  now: () => performance.now(),
};
