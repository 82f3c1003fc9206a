/**
 * --json carries what RESULTS.md lists under "Not configured", and a failure's cause, under keys its
 * strict schema describes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze/index.js';
import { rowsToCsv } from '../core/csv.js';
import { makeRow, METRICS } from '../core/schema.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { verdictJson, verdictJsonSchema } from './json-output.js';

const cli = useCliHarness({ prefix: 'wg-not-configured-json-' });

describe('--json: not configured and causes', () => {
  it('lists the options the run was not given and the cause of a failure, and the strict schema accepts both', async () => {
    const base = {
      suite: 'crash' as const,
      scenario: 'power_loss',
      subject: 'mine',
      mode: 'durable',
      size_bytes: 4096,
      engine: 'posix',
    };
    const rows = [
      makeRow('r1', {
        ...base,
        metric: METRICS.powerlossStates,
        value: 4,
        unit: 'count',
        detail: 'all 4 crash states',
      }),
      makeRow('r1', {
        ...base,
        metric: METRICS.powerlossAtomicityViolationRate,
        value: 0,
        unit: 'ratio',
        detail: '0/4',
      }),
      makeRow('r1', {
        ...base,
        metric: METRICS.powerlossDurabilityViolationRate,
        value: 0.5,
        unit: 'ratio',
        detail: '2/4',
      }),
      makeRow('r1', {
        ...base,
        scenario: 'kill_at_step',
        engine: 'strace',
        metric: METRICS.notApplicable,
        value: 1,
        unit: 'count',
        detail: 'before_dir_fsync: the subject never fsyncs the directory after the rename',
      }),
    ];
    const input = path.join(cli.dir, 'results.csv');
    fs.writeFileSync(input, rowsToCsv(rows));
    const outcome = await analyze({ inputs: [input], outDir: cli.dir, githubStepSummary: null });
    const json = verdictJsonSchema.parse(verdictJson(outcome, { command: 'analyze' }));
    expect(json.not_configured).toContainEqual({
      option: '--crash-checker <command>',
      what: 'your own consistency check of every power-loss crash state',
      gates: ['crash.powerloss_checker'],
    });
    expect(json.gates.some((gate) => gate.id === 'crash.powerloss_checker')).toBe(false);
    expect(json.gates.find((gate) => gate.id === 'crash.powerloss_durability')).toMatchObject({
      status: 'fail',
      cause: 'its trace shows no fsync of the directory after the rename',
    });
  });
});
