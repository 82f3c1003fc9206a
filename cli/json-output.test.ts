/**
 * The --json contract: every output of a real (small) run parses under its zod schema and under the
 * JSON Schema `writegate schema json` prints (read back with z.fromJSONSchema), keys are snake_case,
 * and the printed schemas are z.toJSONSchema of the zod schemas.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { analyze, rewriteReadiness } from '../analyze/index.js';
import { configSchema } from '../core/config.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { JSON_SCHEMA_VERSION, jsonOutputSchema, readinessRunJson, readinessRunJsonSchema, suiteRunJsonSchema, verdictJsonSchema } from './json-output.js';
import { main } from './main.js';
import { reportVerdict } from './verdict.js';

const cli = useCliHarness({ prefix: 'wg-json-', chdir: true });

async function printed(args: string[]): Promise<{ code: number; json: unknown }> {
  cli.clear();
  const code = await main(args);
  return { code, json: JSON.parse(cli.stdout) as unknown };
}

/** Every key of every object, except the keys of maps whose keys are names (subjects, hooks, metrics). */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.push(key);
      keysOf(inner, into);
    }
  }
  return into;
}

async function printedSchema(name: string): Promise<Record<string, unknown>> {
  const { code, json } = await printed(['schema', name]);
  expect(code).toBe(0);
  return json as Record<string, unknown>;
}

describe('--json output', () => {
  it('every output of a real run validates against its schema and against the printed JSON Schema', { timeout: 120_000 }, async () => {
    const fromPrinted = z.fromJSONSchema(await printedSchema('json') as Parameters<typeof z.fromJSONSchema>[0]);
    const check = (schema: z.ZodType, json: unknown) => {
      expect(schema.safeParse(json).error).toBeUndefined();
      expect(jsonOutputSchema.safeParse(json).success).toBe(true);
      expect(fromPrinted.safeParse(json).error).toBeUndefined();
    };

    // A suite run judged by its own gates, one that only measures, and one with the parity --readiness answer.
    const suite = await printed(['parity', '--cases', 'add.file', '--json', '--out', 'out']);
    expect(suite.code).toBe(0);
    check(suiteRunJsonSchema, suite.json);
    expect(suite.json).toMatchObject({ schema_version: JSON_SCHEMA_VERSION, command: 'parity', suite: 'parity', verdict: 'pass', exit_code: 0, report: path.join(cli.dir, 'out', 'RESULTS.md') });
    expect(suite.json).not.toHaveProperty('readiness');
    const judged = (suite.json as { gates: { suite: string }[] }).gates;
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.filter((gate) => gate.suite !== 'parity')).toEqual([]);
    const measured = await printed(['parity', '--cases', 'add.file', '--no-verdict', '--json', '--out', 'out']);
    expect(measured.code).toBe(0);
    check(suiteRunJsonSchema, measured.json);
    for (const key of ['verdict', 'exit_code', 'gates', 'report']) expect(measured.json).not.toHaveProperty(key);
    const ready = await printed(['parity', '--cases', 'add.file', '--readiness', '--json', '--out', 'out']);
    expect(ready.code).toBe(1);
    check(suiteRunJsonSchema, ready.json);
    expect(ready.json).toMatchObject({ readiness: { go: false }, report: path.join(cli.dir, 'out', 'RESULTS.md') });

    // analyze, then the same verdict as gate prints it.
    const csv = path.join(cli.dir, 'out', 'results_raw.csv');
    const verdict = await printed(['analyze', csv, '--json', '--out', 'analyzed']);
    check(verdictJsonSchema, verdict.json);
    const gates = (verdict.json as { gates: unknown[] }).gates;
    expect(gates.length).toBeGreaterThan(0);
    expect(gates[0]).toHaveProperty('figure_text');
    expect(gates[0]).toHaveProperty('threshold_value');
    const outcome = await analyze({ inputs: [csv], outDir: path.join(cli.dir, 'gated'), suites: ['hook', 'parity'], json: true });
    cli.clear();
    reportVerdict(outcome, true, { command: 'gate', run_id: 'run-1', csv });
    check(verdictJsonSchema, JSON.parse(cli.stdout));

    // readiness, built from a real analysis by the function `writegate readiness` prints with.
    const readiness = readinessRunJson({ csvPath: csv, runId: 'run-1', rows: 13 }, outcome.reportPath, rewriteReadiness(outcome));
    check(readinessRunJsonSchema, JSON.parse(JSON.stringify(readiness)));

    // One key casing: the sections' map keys are names, the rest snake_case.
    const keys = [{ ...(suite.json as object), sections: {} }, measured.json, ready.json, readiness, { ...(verdict.json as object), sections: {} }].flatMap((json) => keysOf(json));
    expect(keys.filter((key) => !/^[a-z][a-z0-9_]*$/.test(key))).toEqual([]);
  });

  it('a not-judged entry of a run on several file systems keeps its fs, and an unknown key still does not validate', () => {
    const entry = { suite: 'crash', subject: 'w', size_bytes: 1024, reason: 'its I/O goes through io_uring', gates: ['crash.corruption'] };
    const shape = verdictJsonSchema.shape.not_judged;
    expect(shape.safeParse([{ ...entry, fs: 'xfs' }]).success).toBe(true);
    expect(shape.safeParse([{ ...entry, filesystem: 'xfs' }]).success).toBe(false);
  });

  it('a drifted output does not validate', async () => {
    const fromPrinted = z.fromJSONSchema(await printedSchema('json') as Parameters<typeof z.fromJSONSchema>[0]);
    const run = { schema_version: 1, command: 'parity', suite: 'parity', run_id: 'r', csv: 'c', rows: 1 };
    expect(fromPrinted.safeParse(run).success).toBe(true);
    for (const drifted of [{ ...run, runId: 'r' }, { ...run, schema_version: 2 }, { ...run, rows: -1 }]) {
      expect(suiteRunJsonSchema.safeParse(drifted).success).toBe(false);
      expect(fromPrinted.safeParse(drifted).success).toBe(false);
    }
  });
});

describe('writegate schema', () => {
  const body = (schema: Record<string, unknown>) => {
    const { $id, title, description, ...rest } = schema;
    expect([typeof $id, typeof title, typeof description]).toEqual(['string', 'string', 'string']);
    return rest;
  };

  it('json: z.toJSONSchema of the --json output schema, with an $id and a title', async () => {
    const schema = await printedSchema('json');
    expect(schema.$id).toBe(`urn:writegate:schema:json-output:v${JSON_SCHEMA_VERSION}`);
    expect(body(schema)).toEqual(z.toJSONSchema(jsonOutputSchema));
  });

  it('config: z.toJSONSchema of the config schema; a config naming it in $schema is accepted', async () => {
    const schema = await printedSchema('config');
    expect(schema.$id).toBe('urn:writegate:schema:config');
    expect(body(schema)).toEqual(z.toJSONSchema(configSchema));
    const config = { $schema: './writegate.schema.json', writers: { py: { command: './w {path}', version: '1.0' } }, sizes: [1024] };
    expect(configSchema.safeParse(config).success).toBe(true);
    expect(z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(config).error).toBeUndefined();
  });

  it('an unknown schema is bad input', async () => {
    expect(await main(['schema', 'nope'])).toBe(2);
    expect(cli.stderr).toMatch(/json, config/);
  });
});
