/** The persistence models, keyed by the contract's ModelId: one for each id, so every id can be explored. */
import type { ModelId } from '../types.js';
import { btrfsModel } from './btrfs.js';
import { ext4OrderedModel } from './ext4-ordered.js';
import type { PersistenceModel } from './model.js';
import { posixModel } from './posix.js';
import { tmpfsModel } from './tmpfs.js';
import { xfsModel } from './xfs.js';

export const MODELS: Readonly<Record<ModelId, PersistenceModel>> = {
  posix: posixModel,
  'ext4-ordered': ext4OrderedModel,
  xfs: xfsModel,
  btrfs: btrfsModel,
  tmpfs: tmpfsModel,
};

export type { PersistenceModel } from './model.js';
