/**
 * A persistence model: for a crash point, which directory changes may be on disk, and for each
 * choice of those, which outcomes each written file's data may have. The explorer multiplies
 * these out; a model only states its rules.
 */
import type { FileOutcome, MetadataChoice } from '../state.js';
import type { ModelId, PowerLossInput } from '../types.js';

export interface PersistenceModel {
  id: ModelId;
  /** One line for reports: what file system behaviour this stands for. */
  title: string;
  /**
   * For a file system that keeps nothing across a power cut (tmpfs): the cause every explanation
   * gives, so a violation reads as the file system's nature rather than a missing call of the writer.
   */
  lossCause?: string;
  /** The allowed metadata choices after op `crashAfter` (-1: none issued), most persisted first. */
  metadataChoices(input: PowerLossInput, crashAfter: number): MetadataChoice[];
  /**
   * For one metadata choice, each written file's allowed outcomes (one list per file, the first
   * outcome being the most the model lets persist: everything issued, except on tmpfs). Files with
   * no issued data op are not listed.
   */
  fileOutcomes(input: PowerLossInput, crashAfter: number, meta: MetadataChoice): FileOutcome[][];
}
