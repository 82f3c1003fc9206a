import { loadKnownDifferences, type KnownDifference } from './sections/parity-known.js';
import { SECTIONS } from './sections/index.js';
import { applyThresholds, loadThresholds, type ThresholdsFile } from './thresholds.js';

/** What preflight parsed of the analyzer's own input files, for `analyze` to take instead of reading them again. */
export interface AnalyzeFiles {
  thresholds?: ThresholdsFile;
  knownDifferences?: KnownDifference[];
}

/**
 * Checks the analyzer's own input files (thresholds, known differences) the way `analyze` will, so
 * `gate` stops on a typo before it spends minutes measuring rather than after. Returns both parsed, for
 * analyze's `thresholds` and `knownDifferences`.
 */
export function preflightAnalyzeInputs(files: {
  thresholdsFile?: string;
  knownDifferencesFile?: string;
}): AnalyzeFiles {
  const thresholds = files.thresholdsFile ? loadThresholds(files.thresholdsFile) : undefined;
  if (files.thresholdsFile)
    applyThresholds(
      SECTIONS.flatMap((section) => section.gates),
      thresholds,
      files.thresholdsFile,
    );
  const knownDifferences = files.knownDifferencesFile ? loadKnownDifferences(files.knownDifferencesFile) : undefined;
  return { ...(thresholds ? { thresholds } : {}), ...(knownDifferences ? { knownDifferences } : {}) };
}
