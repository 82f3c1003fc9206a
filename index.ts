/** Library entry: the reference writer and the results schema, for users who build on writegate. */
export * from './core/writer/index.js';
export { RESULT_COLUMNS, METRICS, type ResultRow } from './core/schema.js';
export { csvToRows, rowsToCsv, readResultsCsv } from './core/csv.js';
export {
  classifyCommand,
  COMMAND_CLASSES,
  type CommandClass,
  type Classification,
  type ClassifiedPart,
} from './hook/classify/index.js';
