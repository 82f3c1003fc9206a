import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { loadConfig } from './config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The one-line message loadConfig refuses this config with. */
function refusal(config: unknown): string {
  const file = path.join(dir, 'writegate.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  try {
    loadConfig(undefined, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message.startsWith(`config file ${file}: `)).toBe(true);
    return message.slice(`config file ${file}: `.length);
  }
  throw new Error('config accepted');
}

describe('config errors name the leaf key', () => {
  it.each([
    [
      'a misspelt key inside a writer',
      { writers: { py: { comand: 'python3 w.py {path}' } } },
      'unknown key "writers.py.comand"',
    ],
    [
      'a wrong type inside a writer',
      { writers: { py: { command: 5 } } },
      'key "writers.py.command": expected string, received number',
    ],
    [
      'a writer with neither command nor driver',
      { writers: { py: {} } },
      'key "writers.py": give "command" or "driver"',
    ],
    [
      'a writer with both command and driver',
      { writers: { py: { command: 'a {path}', driver: 'b' } } },
      'key "writers.py": "driver" and "command" cannot be used together',
    ],
    ['noop on a driver', { writers: { py: { driver: 'd', noop: 'n' } } }, 'unknown key "writers.py.noop"'],
    // A driver's batch form is its write_batch message, not a template.
    ['batch on a driver', { writers: { py: { driver: 'd', batch: 'b {pairs}' } } }, 'unknown key "writers.py.batch"'],
    [
      'a batch template that is not a string',
      { writers: { py: { command: 'a {source} {target}', batch: ['b', '{pairs}'] } } },
      'key "writers.py.batch": expected string, received array',
    ],
    [
      'an empty batch template',
      { writers: { py: { command: 'a {source} {target}', batch: '' } } },
      'key "writers.py.batch": Too small: expected string to have >=1 characters',
    ],
    [
      'a writer given as a string',
      { writers: { py: 'python3 w.py' } },
      'key "writers.py": expected object, received string',
    ],
    ['a misspelt top-level key', { sezes: [1] }, 'unknown key "sezes"'],
    ['a wrong type deep in a list', { sizes: [1, 'x'] }, 'key "sizes.1": expected number, received string'],
  ])('%s', (_what, config, message) => {
    expect(refusal(config)).toBe(message);
  });

  it('accepts both kinds of writer, each with an optional version, a command with its batch form', () => {
    fs.writeFileSync(
      path.join(dir, 'writegate.config.json'),
      JSON.stringify({
        writers: {
          a: { command: 'a {path}', noop: 'true', batch: 'a --batch {pairs}', version: '1.0' },
          b: { driver: 'b', version: '2.0' },
        },
      }),
    );
    expect(loadConfig(undefined, dir).config.writers).toEqual({
      a: { command: 'a {path}', noop: 'true', batch: 'a --batch {pairs}', version: '1.0' },
      b: { driver: 'b', version: '2.0' },
    });
  });
});
