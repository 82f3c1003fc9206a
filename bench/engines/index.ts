import type { EngineName } from '../cases.js';
import { mitataEngine } from './mitata.js';
import { tinybenchEngine } from './tinybench.js';
import type { SamplingEngine } from './types.js';

export const ENGINE_BY_NAME: Record<EngineName, SamplingEngine> = {
  tinybench: tinybenchEngine,
  mitata: mitataEngine,
};

export type { EngineRun, SampleJob, SamplingEngine } from './types.js';
