import { describe, expect, it } from 'vitest';
import { csvToRows, rowsToCsv } from '../core/csv.js';
import { makeRow, RESULT_COLUMNS } from '../core/schema.js';
import { RESULTS_CSV as SINK_CSV, RESULTS_MD as SINK_MD } from '../core/sink.js';
import { RESULTS_CSV, RESULTS_MD } from './analyze.js';

describe('core/csv round trip', () => {
  it('reads back exactly what it wrote, awkward text and empty cells included', () => {
    const rows = [
      makeRow('20250101T000000Z-abc123', {
        suite: 'env',
        scenario: 'environment',
        subject: '',
        metric: 'cpu_model',
        detail: 'Intel(R) Xeon(R), "Gold" 6130\nsecond line',
      }),
      makeRow('20250101T000000Z-abc123', {
        suite: 'bench',
        scenario: 'write',
        subject: 'py, quoted "x"',
        mode: 'durable',
        size_bytes: 131072,
        metric: 'latency_ms',
        value: 0.000123456789,
        unit: 'ms',
        sample: 0,
        engine: 'tinybench',
      }),
      makeRow('20250101T000000Z-abc123', {
        suite: 'bench',
        scenario: 'write',
        subject: 'reference',
        mode: 'fast',
        size_bytes: 8388608,
        metric: 'latency_p99_ms',
        value: 12345.678,
        unit: 'ms',
      }),
      makeRow('20250101T000000Z-abc123', {
        suite: 'crash',
        scenario: 'kill',
        subject: 'reference',
        metric: 'not_reached',
        value: null,
        detail: 'fault point never hit',
      }),
      makeRow('20250101T000000Z-abc123', {
        suite: 'parity',
        scenario: 'commit-nothing',
        subject: 'w',
        metric: 'exit_code_match',
        value: 0,
      }),
    ];
    const text = rowsToCsv(rows);
    expect(text.split('\n')[0]).toBe(RESULT_COLUMNS.join(','));
    expect(csvToRows(text, 'mem.csv')).toEqual(rows);
    // And again: writing what was read gives the same bytes.
    expect(rowsToCsv(csvToRows(text, 'mem.csv'))).toBe(text);
  });

  it(
    'keeps the file system a row was made on, and reads a file written before ' +
      'the fs column as made on the workspace',
    () => {
      const onXfs = makeRow('r', { suite: 'bench', scenario: 'write', subject: 's', metric: 'm', value: 1, fs: 'xfs' });
      expect(csvToRows(rowsToCsv([onXfs]), 'mem.csv')[0]?.fs).toBe('xfs');
      const older =
        'run_id,suite,scenario,subject,mode,size_bytes,metric,value,unit,sample,engine,detail\nr,bench,write,s,durable,1024,m,1,ms,,tinybench,\n';
      expect(csvToRows(older, 'old.csv')).toEqual([
        makeRow('r', {
          suite: 'bench',
          scenario: 'write',
          subject: 's',
          mode: 'durable',
          size_bytes: 1024,
          metric: 'm',
          value: 1,
          unit: 'ms',
          engine: 'tinybench',
        }),
      ]);
      expect(() => csvToRows('run_id,suite,scenario\nr,bench,write\n', 'bad.csv')).toThrow(
        /missing column\(s\) subject, mode/,
      );
    },
  );

  it('writes a non-finite value as an empty cell, read back as null', () => {
    const row = makeRow('r', { suite: 'bench', scenario: 'write', subject: 's', metric: 'm', value: Number.NaN });
    expect(csvToRows(rowsToCsv([row]), 'mem.csv')[0]?.value).toBeNull();
  });

  it('analyze and core/sink agree on the file names', () => {
    expect(RESULTS_CSV).toBe(SINK_CSV);
    expect(RESULTS_MD).toBe(SINK_MD);
  });
});
