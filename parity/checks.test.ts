import { describe, expect, it } from 'vitest';
import { keySignals, missingSignals } from './checks.js';

const PUSH_REJECTED = `To /tmp/x/remote.git
 ! [rejected]        main -> main (fetch first)
error: failed to push some refs to '/tmp/x/remote.git'
hint: Updates were rejected because the remote contains work that you do
hint: not have locally.
`;

describe('key signals', () => {
  it('picks the lines that carry meaning and leaves hints and chatter out', () => {
    expect(keySignals(PUSH_REJECTED)).toEqual([
      '! [rejected] main -> main (fetch first)',
      "error: failed to push some refs to '/tmp/x/remote.git'",
    ]);
    expect(
      keySignals(
        'Auto-merging a.txt\nCONFLICT (content): Merge conflict in a.txt\nAutomatic ' +
          'merge failed; fix conflicts and then commit the result.\n',
      ),
    ).toEqual([
      'CONFLICT (content): Merge conflict in a.txt',
      'Automatic merge failed; fix conflicts and then commit the result.',
    ]);
    expect(keySignals('On branch main\nnothing to commit, working tree clean\n', 'commit')).toEqual([
      'nothing to commit, working tree clean',
    ]);
    expect(keySignals('No local changes to save\n')).toEqual(['No local changes to save']);
  });

  it('status summaries are signals of commit only, not of the status that stash pop prints', () => {
    const status =
      'On branch main\nChanges not staged for commit:\n\tmodified:   b.txt\n\nno ' +
      'changes added to commit (use "git add" and/or "git commit -a")\n';
    expect(keySignals(status, 'commit')).toEqual(['no changes added to commit (use "git add" and/or "git commit -a")']);
    expect(keySignals(status, 'stash')).toEqual([]);
    expect(keySignals(`${status}The stash entry is kept in case you need it again.\n`, 'stash')).toEqual([
      'The stash entry is kept in case you need it again.',
    ]);
  });

  it('finds nothing in a successful command summary', () => {
    expect(keySignals('[main 1a2b3c4] staged work\n 2 files changed, 2 insertions(+), 1 deletion(-)\n')).toEqual([]);
    expect(keySignals('To /tmp/r.git\n   1a2b3c4..5d6e7f8  main -> main\n')).toEqual([]);
  });

  it('a wrapper keeps a signal when the line appears anywhere in its stdout or stderr, whitespace aside', () => {
    const signals = keySignals(PUSH_REJECTED);
    const compacted =
      'FAILED git push:\n! [rejected] main -> main (fetch first)\nerror: failed ' +
      "to push some refs to '/tmp/x/remote.git'";
    expect(missingSignals(signals, compacted)).toEqual([]);
  });

  it('names each signal the wrapper lost', () => {
    const signals = keySignals(PUSH_REJECTED);
    expect(missingSignals(signals, 'push failed')).toEqual(signals);
    expect(missingSignals(signals, '! [rejected] main -> main (fetch first)')).toEqual([
      "error: failed to push some refs to '/tmp/x/remote.git'",
    ]);
  });
});
