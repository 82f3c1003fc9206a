import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { captureEnvironment } from '../../core/env.js';
import { envRows } from '../../core/sink.js';
import { environmentSection } from './environment.js';

describe("RESULTS.md's environment table", () => {
  it('shows the subjects, the repository and writegate, as the environment rows record them', () => {
    const captured = captureEnvironment(os.tmpdir(), 'quick', { config: {}, cwd: os.tmpdir() });
    const env = {
      ...captured,
      subject_versions: 'writer:mine=mywriter 1.2.3; writer:pinned=4.5.6',
      repo_commit: '0123456789ab (modified)',
    };
    const md = environmentSection(envRows('run-1', env), []);
    expect(md).toContain('| Subject versions | `writer:mine=mywriter 1.2.3; writer:pinned=4.5.6');
    expect(md).toContain('| Repository commit | `0123456789ab (modified)` |');
    expect(md).toContain(`| writegate commit | \`${env.commit}\` |`);
  });
});
