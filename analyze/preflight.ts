import { loadKnownDifferences } from './sections/parity-known.js';
import { SECTIONS } from './sections/index.js';
import { applyThresholds, loadThresholds } from './thresholds.js';

/**
 * Checks the analyzer's own input files (thresholds, known differences) the way `analyze` will, so
 * `gate` stops on a typo before it spends minutes measuring rather than after.
 */
export function preflightAnalyzeInputs(files: { thresholdsFile?: string; knownDifferencesFile?: string }): void {
  if (files.thresholdsFile) applyThresholds(SECTIONS.flatMap((section) => section.gates), loadThresholds(files.thresholdsFile), files.thresholdsFile);
  loadKnownDifferences(files.knownDifferencesFile);
}
