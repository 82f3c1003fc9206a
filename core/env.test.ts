import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureEnvironment } from './env.js';

const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-env-repo-'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-env-scratch-'));
afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

function script(name: string, body: string): void {
  fs.writeFileSync(path.join(repo, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

// A writer that answers --version, one that takes --version for the path to write, one that never answers.
script('mywriter', 'if [ "$1" = --version ]; then echo "mywriter 1.2.3"; echo "built today"; exit 0; fi\ncat > "$1"');
script('naive', 'cat > "$1"; exit 3');
script('slow', 'sleep 10');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
git('init', '-q');
git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', 'mywriter');
git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'tiny writer');

describe('the environment records the subjects and the repository writegate runs in', () => {
  const config = {
    writers: {
      mine: { command: './mywriter {path}' },
      pinned: { command: './naive {path}', version: '4.5.6' },
      naive: { command: './naive {path}' },
      slow: { command: './slow {path}' },
      missing: { driver: './no-such-binary' },
    },
    wrappers: { passthrough: '{git}' },
  };
  const started = Date.now();
  const env = captureEnvironment(scratch, 'quick', { config, cwd: repo, versionTimeoutMs: 500 });
  const elapsed = Date.now() - started;

  it('records each subject: --version first line, the config version, else unknown', () => {
    expect(env.subject_versions).toBe(
      'writer:mine=mywriter 1.2.3; writer:pinned=4.5.6; writer:naive=unknown; ' +
        'writer:slow=unknown; writer:missing=unknown; wrapper:passthrough=unknown',
    );
  });

  it('never waits long for a subject that does not answer', () => {
    expect(elapsed).toBeLessThan(5000);
  });

  it('asks --version outside the repository: a script that takes it for a path writes there', () => {
    expect(fs.existsSync(path.join(repo, '--version'))).toBe(false);
  });

  it("records the commit of the user's repository, marked when tracked files changed, not writegate's own", () => {
    const head = git('rev-parse', '--short=12', 'HEAD');
    expect(env.repo_commit).toBe(head);
    expect(env.commit).not.toBe(head);
    expect(env.writegate_version).toMatch(/^\d+\.\d+\.\d+/);
    fs.appendFileSync(path.join(repo, 'mywriter'), '# changed\n');
    expect(captureEnvironment(scratch, 'quick', { config: {}, cwd: repo }).repo_commit).toBe(`${head} (modified)`);
  });

  it('says none outside a repository and records no subject versions when none is configured', () => {
    const env2 = captureEnvironment(scratch, 'quick', { config: {}, cwd: os.tmpdir() });
    expect(env2.repo_commit).toBe('none');
    expect(env2.subject_versions).toBeUndefined();
  });
});
