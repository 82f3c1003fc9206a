import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { commandSubject } from './command-subject.js';
import { checkBatchTemplate, fillBatchTemplate, splitTemplate } from './template.js';

const WHERE = 'writer w batch';
const checked = (template: string): string[] => {
  const argv = splitTemplate(template, WHERE);
  checkBatchTemplate(argv, WHERE, template);
  return argv;
};
const refusal = (template: string): string => {
  try {
    checked(template);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${template}`);
};

describe('batch templates', () => {
  it('{pairs} becomes one argument per source and target, in order; {mode} is filled as in the single template', () => {
    const argv = checked('/usr/bin/python3 w.py --batch --mode={mode} {pairs} --end');
    const files = [
      { source: '/s/1', target: '/t/a b' },
      { source: '/s/2', target: '/t/{mode}' },
    ];
    expect(fillBatchTemplate(argv, files, 'durable', WHERE)).toEqual([
      '/usr/bin/python3',
      'w.py',
      '--batch',
      '--mode=durable',
      '/s/1',
      '/t/a b',
      '/s/2',
      // A path is passed as it is, never read as a template.
      '/t/{mode}',
      '--end',
    ]);
  });

  it('an empty batch leaves no argument where {pairs} was', () => {
    expect(fillBatchTemplate(checked('w {pairs}'), [], 'fast', WHERE)).toEqual(['w']);
  });

  it.each([
    ['without {pairs}', 'w --batch {mode}', 'writer w batch: template must contain {pairs}: w --batch {mode}'],
    ['{pairs} twice', 'w {pairs} {pairs}', 'writer w batch: {pairs} may appear only once: w {pairs} {pairs}'],
    [
      '{pairs} inside an argument',
      'w --files={pairs}',
      'writer w batch: {pairs} must be an argument of its own (it becomes one argument per source and target), ' +
        'not part of "--files={pairs}"',
    ],
    [
      '{source}, which only a single write has',
      'w {source} {pairs}',
      /unknown placeholder \{source\}; known: \{pairs\} \{mode\}/,
    ],
    ['shell syntax', 'w {pairs} > log', /shell syntax ">" is not supported/],
  ])('refuses a template %s, in one line', (_what, template, message) => {
    const text = refusal(template);
    expect(text).not.toContain('\n');
    if (typeof message === 'string') expect(text).toBe(message);
    else expect(text).toMatch(message);
  });

  it('a command writer with a batch form offers it; one without has none', () => {
    const plain = commandSubject({ name: 'w', template: '/bin/cp {source} {target}' });
    expect(plain.batch).toBeUndefined();
    const batched = commandSubject({
      name: 'w',
      template: '/bin/cp {source} {target}',
      batch: '/bin/echo {mode} {pairs}',
    });
    const oneShot = batched.batch?.oneShot({ files: [{ source: '/s', target: '/t' }], mode: 'fast' });
    expect(oneShot?.argv).toEqual(['/bin/echo', 'fast', '/s', '/t']);
  });

  it('a command writer refuses a bad batch template or program before anything runs', () => {
    expect(() =>
      commandSubject({ name: 'w', template: '/bin/cp {source} {target}', batch: '/bin/cp {source}' }),
    ).toThrow(/writer w batch: unknown placeholder \{source\}/);
    expect(() =>
      commandSubject({ name: 'w', template: '/bin/cp {source} {target}', batch: '/no/such/batch-writer {pairs}' }),
    ).toThrow(InputError);
  });
});
