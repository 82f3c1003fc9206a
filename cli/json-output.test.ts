/**
 * The --json contract: every output of a real (small) run parses under its zod schema and under the
 * JSON Schema `writegate schema json` prints (read back with z.fromJSONSchema), keys are snake_case,
 * and the printed schemas are z.toJSONSchema of the zod schemas. The zod schemas are strict (writegate
 * prints no key it does not describe); the printed one accepts keys a later release may add.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { analyze, rewriteReadiness } from '../analyze/index.js';
import { configSchema } from '../core/config.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import {
  JSON_SCHEMA_VERSION,
  jsonOutputSchema,
  readinessRunJson,
  readinessRunJsonSchema,
  suiteRunJson,
  suiteRunJsonSchema,
  verdictJson,
  verdictJsonSchema,
} from './json-output.js';
import { main } from './main.js';
import { suiteFigures } from './suite-figures.js';
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

/**
 * The output as a later release might print it: one more key in every object, at every depth. Its
 * value is null, which a map of figures (a new metric's rate, not measured) holds as well as an object.
 */
function grown(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(grown);
  if (value && typeof value === 'object')
    return {
      ...Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, grown(inner)])),
      added_later: null,
    };
  return value;
}

/** `json` without the key `key` at `at` (a path of keys and indices). */
function without(json: unknown, at: (string | number)[], key: string): unknown {
  const copy = structuredClone(json) as Record<string | number, unknown>;
  const parent = at.reduce<Record<string | number, unknown>>(
    (inner, step) => inner[step] as Record<string | number, unknown>,
    copy,
  );
  expect(parent).toHaveProperty(key);
  delete parent[key];
  return copy;
}

async function printedSchema(name: string): Promise<Record<string, unknown>> {
  const { code, json } = await printed(['schema', name]);
  expect(code).toBe(0);
  return json as Record<string, unknown>;
}

describe('--json output', () => {
  it('every output of a real run validates against its schema and against the printed JSON Schema', {
    timeout: 120_000,
  }, async () => {
    const fromPrinted = z.fromJSONSchema((await printedSchema('json')) as Parameters<typeof z.fromJSONSchema>[0]);
    const check = (schema: z.ZodType, json: unknown) => {
      expect(schema.safeParse(json).error).toBeUndefined();
      expect(jsonOutputSchema.safeParse(json).success).toBe(true);
      expect(fromPrinted.safeParse(json).error).toBeUndefined();
      // A later release's output, one more key in every object: v1 accepts it, the strict schema does not.
      expect(fromPrinted.safeParse(grown(json)).error).toBeUndefined();
      expect(schema.safeParse(grown(json)).success).toBe(false);
    };

    // A suite run judged by its own gates, one that only measures, and one with the parity --readiness answer.
    const suite = await printed(['parity', '--cases', 'add.file', '--json', '--out', 'out']);
    expect(suite.code).toBe(0);
    check(suiteRunJsonSchema, suite.json);
    expect(suite.json).toMatchObject({
      schema_version: JSON_SCHEMA_VERSION,
      command: 'parity',
      suite: 'parity',
      verdict: 'pass',
      exit_code: 0,
      report: path.join(cli.dir, 'out', 'RESULTS.md'),
    });
    expect(suite.json).not.toHaveProperty('readiness');
    const judged = (suite.json as { gates: { suite: string }[] }).gates;
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.filter((gate) => gate.suite !== 'parity')).toEqual([]);
    // The figures the command prints before its verdict: the passthrough control's rates over the case run.
    expect(suite.json).toMatchObject({
      summary: {
        suite: 'parity',
        cases_run: 1,
        wrappers: [{ wrapper: 'passthrough', control: true, rates: { exit_code_match_rate: 1 } }],
      },
    });
    const measured = await printed(['parity', '--cases', 'add.file', '--no-verdict', '--json', '--out', 'out']);
    expect(measured.code).toBe(0);
    check(suiteRunJsonSchema, measured.json);
    for (const key of ['verdict', 'exit_code', 'gates', 'report', 'summary'])
      expect(measured.json).not.toHaveProperty(key);
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
    const outcome = await analyze({
      inputs: [csv],
      outDir: path.join(cli.dir, 'gated'),
      suites: ['hook', 'parity'],
      json: true,
    });
    cli.clear();
    reportVerdict(outcome, true, { command: 'gate', run_id: 'run-1', csv });
    check(verdictJsonSchema, JSON.parse(cli.stdout));

    // readiness, built from a real analysis by the function `writegate readiness` prints with.
    const readiness = readinessRunJson(
      { csvPath: csv, runId: 'run-1', rows: 13 },
      outcome.reportPath,
      rewriteReadiness(outcome),
    );
    check(readinessRunJsonSchema, JSON.parse(JSON.stringify(readiness)));

    // One key casing: the sections' map keys are names, the rest snake_case.
    const keys = [
      { ...(suite.json as object), sections: {} },
      measured.json,
      ready.json,
      readiness,
      { ...(verdict.json as object), sections: {} },
    ].flatMap((json) => keysOf(json));
    expect(keys.filter((key) => !/^[a-z][a-z0-9_]*$/.test(key))).toEqual([]);
  });

  it('a not-judged entry of a run on several file systems keeps its fs, and an unknown key still does not validate', () => {
    const entry = {
      suite: 'crash',
      subject: 'w',
      size_bytes: 1024,
      reason: 'its I/O goes through io_uring',
      gates: ['crash.corruption'],
    };
    const shape = verdictJsonSchema.shape.not_judged;
    expect(shape.safeParse([{ ...entry, fs: 'xfs' }]).success).toBe(true);
    expect(shape.safeParse([{ ...entry, filesystem: 'xfs' }]).success).toBe(false);
  });

  it('a drifted output does not validate; an added key validates against v1 only', async () => {
    const fromPrinted = z.fromJSONSchema((await printedSchema('json')) as Parameters<typeof z.fromJSONSchema>[0]);
    const run = { schema_version: 1, command: 'parity', suite: 'parity', run_id: 'r', csv: 'c', rows: 1 };
    expect(fromPrinted.safeParse(run).success).toBe(true);
    const { run_id: runId, ...renamed } = run;
    for (const drifted of [
      { ...renamed, runId },
      { ...run, schema_version: 2 },
      { ...run, rows: -1 },
    ]) {
      expect(suiteRunJsonSchema.safeParse(drifted).success).toBe(false);
      expect(fromPrinted.safeParse(drifted).success).toBe(false);
    }
    expect(fromPrinted.safeParse({ ...run, runId }).success).toBe(true);
    expect(suiteRunJsonSchema.safeParse({ ...run, runId }).success).toBe(false);
  });

  it(
    "a later release's bench and verdict output (a new key in every object) " +
      'validates against v1; a missing required key does not',
    async () => {
      const fromPrinted = z.fromJSONSchema((await printedSchema('json')) as Parameters<typeof z.fromJSONSchema>[0]);
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-json-grown-'));
      const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/fail.csv');
      const outcome = await analyze({ inputs: [fixture], outDir, suites: ['bench'], githubStepSummary: null }).finally(
        () => fs.rmSync(outDir, { recursive: true, force: true }),
      );
      const bench = JSON.parse(
        JSON.stringify(suiteRunJson('bench', { csvPath: fixture, runId: 'run-1', rows: 914 }, { outcome })),
      ) as Record<string, unknown>;
      const verdict = JSON.parse(JSON.stringify(verdictJson(outcome, { command: 'analyze' }))) as Record<
        string,
        unknown
      >;
      // The bench summary is the stderr table's figures, failed gates included.
      expect(bench.summary).toEqual(JSON.parse(JSON.stringify(suiteFigures('bench', outcome))));
      expect(JSON.stringify(bench.summary)).toContain('"failed":[{"id":"bench.');
      for (const [strict, json] of [
        [suiteRunJsonSchema, bench],
        [verdictJsonSchema, verdict],
      ] as const) {
        expect(strict.safeParse(json).error).toBeUndefined();
        expect(fromPrinted.safeParse(json).error).toBeUndefined();
        expect(fromPrinted.safeParse(grown(json)).error).toBeUndefined();
        expect(strict.safeParse(grown(json)).success).toBe(false);
      }
      // A required key gone, at the top, in a gate, in the bench summary: not v1, grown or not.
      for (const missing of [
        without(bench, [], 'run_id'),
        without(verdict, ['gates', 0], 'status'),
        without(bench, ['summary', 'parts', 0, 'lines', 0], 'p50_ms'),
      ]) {
        expect(fromPrinted.safeParse(missing).success).toBe(false);
        expect(fromPrinted.safeParse(grown(missing)).success).toBe(false);
      }
    },
  );
});

describe('writegate schema', () => {
  const body = (schema: Record<string, unknown>) => {
    const { $id, title, description, ...rest } = schema;
    expect([typeof $id, typeof title, typeof description]).toEqual(['string', 'string', 'string']);
    return rest;
  };

  it('json: z.toJSONSchema of the --json output schema, every object open to added keys, with an $id and a title', async () => {
    const schema = await printedSchema('json');
    expect(schema.$id).toBe(`urn:writegate:schema:json-output:v${JSON_SCHEMA_VERSION}`);
    const strict = JSON.stringify(z.toJSONSchema(jsonOutputSchema));
    expect(strict).toContain('"additionalProperties":false');
    expect(JSON.stringify(body(schema))).toBe(strict.replaceAll(',"additionalProperties":false', ''));
    // Maps keep their value schema: a section's keys are names, a rate is a number.
    expect(JSON.stringify(schema)).toContain('"additionalProperties":{');
  });

  it('config: z.toJSONSchema of the config schema; a config naming it in $schema is accepted', async () => {
    const schema = await printedSchema('config');
    expect(schema.$id).toBe('urn:writegate:schema:config');
    expect(body(schema)).toEqual(z.toJSONSchema(configSchema));
    const config = {
      $schema: './writegate.schema.json',
      writers: { py: { command: './w {path}', version: '1.0' } },
      sizes: [1024],
    };
    expect(configSchema.safeParse(config).success).toBe(true);
    expect(z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(config).error).toBeUndefined();
  });

  it('an unknown schema is bad input', async () => {
    expect(await main(['schema', 'nope'])).toBe(2);
    expect(cli.stderr).toMatch(/json, config/);
  });
});
