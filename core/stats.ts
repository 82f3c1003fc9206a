/**
 * writegate's one statistics module: every figure, test and interval the suites and the analyzer
 * use is defined once, under core/stats/ (one concept per file), and reached through this index.
 * core/stats/owners.test.ts fails when a second definition appears elsewhere.
 */
export * from './stats/descriptive.js';
export * from './stats/quantile-select.js';
export * from './stats/median-interval.js';
export * from './stats/figures.js';
export * from './stats/distributions.js';
export * from './stats/tests.js';
export * from './stats/proportions.js';
export * from './stats/resampling.js';
