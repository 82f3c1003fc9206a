import { describe, expect, it } from 'vitest';
import { BATCH_CRASH_SCENARIOS } from '../../core/schema.js';
import { parseOptions } from '../../core/suite-options.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { SCENARIO_IDS } from '../cases.js';
import { crashOptionsSchema } from '../options.js';
import { eligibleFor, planPooled, resolveCrashSettings, sizesFor } from '../plan.js';

const options = (given: Record<string, unknown> = {}) => parseOptions(crashOptionsSchema, given);
const batchIds: readonly string[] = BATCH_CRASH_SCENARIOS;

describe('when the batch scenarios run', () => {
  it('not by default: a default run keeps its scenarios', () => {
    const { scenarios } = resolveCrashSettings('quick', options());
    expect(scenarios.filter((id) => batchIds.includes(id))).toEqual([]);
    expect(scenarios).toEqual(SCENARIO_IDS.filter((id) => id !== 'crash_image' && !batchIds.includes(id)));
  });

  it('by default once a writer was given a batch form, and whenever they are named', () => {
    expect(resolveCrashSettings('quick', options(), [], true).scenarios).toEqual(
      expect.arrayContaining([...BATCH_CRASH_SCENARIOS]),
    );
    expect(resolveCrashSettings('quick', options({ crashScenarios: 'batch_power_loss' })).scenarios).toEqual([
      'batch_power_loss',
    ]);
  });

  it('only writers with a batch form are eligible, each at the smallest size, one task per kill point', () => {
    const stub = (name: string, batch: boolean) =>
      ({
        name,
        kind: 'command',
        ...(batch ? { batch: { oneShot: () => ({ argv: [] }) } } : {}),
      }) as unknown as WriterSubject;
    const subjects = [stub('with', true), stub('without', false)];
    expect(eligibleFor('batch_kill_at_step', subjects).map((s) => s.name)).toEqual(['with']);
    const settings = resolveCrashSettings(
      'quick',
      options({ crashScenarios: 'batch_kill_at_step,batch_inject_error' }),
    );
    expect(sizesFor('batch_power_loss', [1024, 65536, 8 << 20], settings)).toEqual([1024]);
    const tasks = planPooled(settings.scenarios, subjects, [1024, 8 << 20], settings);
    expect(tasks.map((task) => [task.scenario, 'point' in task ? task.point : ''])).toEqual([
      ['batch_kill_at_step', 'after_temp_create'],
      ['batch_kill_at_step', 'before_first_rename'],
      ['batch_kill_at_step', 'before_last_rename'],
      ['batch_kill_at_step', 'before_dir_fsync'],
      ['batch_inject_error', 'first_file_fsync'],
    ]);
  });
});
