import { Argument, type Command } from 'commander';
import { JSON_SCHEMAS, type SchemaName } from './json-output.js';

/** `writegate schema json|config`: the JSON Schema of the --json output or of the config file, on stdout. */
export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print a JSON Schema: `json` for what --json prints, `config` for writegate.config.json')
    .addArgument(new Argument('<name>', 'which schema').choices(Object.keys(JSON_SCHEMAS)))
    .action((name: SchemaName) => {
      process.stdout.write(`${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`);
    });
}
