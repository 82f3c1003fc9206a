/** The command classifier: a shell command line → read_only | mutating | unknown, with reasons. */
export { classifyCommand } from './classify.js';
export {
  COMMAND_CLASSES,
  type Classification,
  type ClassifiedPart,
  type ClassifiedPart as CommandPart,
  type CommandClass,
} from './types.js';
