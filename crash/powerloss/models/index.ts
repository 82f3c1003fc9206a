/** The persistence models, keyed by the contract's ModelId. */
import type { ModelId } from '../types.js';
import { ext4OrderedModel } from './ext4-ordered.js';
import type { PersistenceModel } from './model.js';
import { posixModel } from './posix.js';

export const MODELS: Readonly<Partial<Record<ModelId, PersistenceModel>>> = {
  posix: posixModel,
  'ext4-ordered': ext4OrderedModel,
};

export type { PersistenceModel } from './model.js';
