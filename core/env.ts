import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WritegateConfig } from './config.js';
import type { EnvRecord } from './schema.js';
import { packageRoot } from './self-script.js';
import { splitTemplate } from './subjects/template.js';
import { toolVersion } from './tools.js';

function quiet(file: string, args: string[], cwd?: string): string | undefined {
  try {
    return (
      execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd, timeout: 5000 }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** Filesystem type of the mount holding `dir`, from /proc/self/mounts (longest matching mount point). */
export function filesystemType(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    let best = { mount: '', type: 'unknown' };
    for (const line of fs.readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ');
      if (!mount || !type) continue;
      const within = real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
      if (within && mount.length >= best.mount.length) best = { mount, type };
    }
    return best.type;
  } catch {
    return 'unknown';
  }
}

function packageVersion(): string {
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

/** How long a subject gets to answer `--version`: it is asked once per binary, before the run. */
export const VERSION_TIMEOUT_MS = 2000;

/**
 * First line of `<binary> --version` (stdout, else stderr), or "unknown" when it does not answer
 * within the timeout, exits non-zero or prints nothing. It runs in `scratchDir`, so a script that
 * takes `--version` for a path writes its file there, not in the user's repository.
 */
export function binaryVersion(binary: string, cwd: string, scratchDir: string, timeoutMs = VERSION_TIMEOUT_MS): string {
  const file = binary.includes('/') ? path.resolve(cwd, binary) : binary;
  try {
    const result = spawnSync(file, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: scratchDir,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    if (result.error || result.status !== 0) return 'unknown';
    const first = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .find(Boolean);
    return (first(result.stdout) ?? first(result.stderr) ?? 'unknown').slice(0, 200);
  } catch {
    return 'unknown';
  }
}

/** A subject the config (or a flag folded into it) names, and the command line that runs it. */
interface ConfiguredSubject {
  kind: 'writer' | 'wrapper' | 'hook';
  name: string;
  command: string;
  version?: string;
}

function configuredSubjects(config: WritegateConfig): ConfiguredSubject[] {
  return [
    ...Object.entries(config.writers ?? {}).map(([name, spec]) => ({
      kind: 'writer' as const,
      name,
      command: 'driver' in spec ? spec.driver : spec.command,
      version: spec.version,
    })),
    ...Object.entries(config.wrappers ?? {}).map(([name, command]) => ({ kind: 'wrapper' as const, name, command })),
    ...Object.entries(config.hooks ?? {}).map(([name, command]) => ({ kind: 'hook' as const, name, command })),
  ];
}

/**
 * `subject_versions`: per configured writer, wrapper and hook, `kind:name=version`, joined by "; ".
 * The version is the writer entry's `version` field when given, else the first line of
 * `<binary> --version` (the template's first word; "unknown" when it does not answer). Built-in
 * writers are part of writegate (writegate_version). Undefined when nothing is configured.
 */
export function subjectVersions(
  config: WritegateConfig,
  cwd: string,
  scratchDir: string,
  timeoutMs = VERSION_TIMEOUT_MS,
): string | undefined {
  const subjects = configuredSubjects(config);
  if (subjects.length === 0) return undefined;
  const asked = new Map<string, string>();
  const versionOf = (subject: ConfiguredSubject): string => {
    if (subject.version !== undefined) return subject.version;
    let binary: string | undefined;
    try {
      binary = splitTemplate(subject.command, `${subject.kind} ${subject.name}`)[0];
    } catch {
      binary = undefined;
    }
    // A placeholder as the program ({git}) names no binary of the subject's own.
    if (!binary || binary.includes('{')) return 'unknown';
    let version = asked.get(binary);
    if (version === undefined) asked.set(binary, (version = binaryVersion(binary, cwd, scratchDir, timeoutMs)));
    return version;
  };
  return subjects
    .map((subject) => `${subject.kind}:${subject.name}=${versionOf(subject).replace(/;/g, ',')}`)
    .join('; ');
}

/**
 * `repo_commit`: the commit of the git repository writegate is run in (the user's, not writegate's
 * own), with " (modified)" when tracked files differ from it; "none" outside a repository.
 */
export function repoCommit(cwd: string, git = 'git'): string {
  const commit = quiet(git, ['rev-parse', '--short=12', 'HEAD'], cwd);
  if (!commit) return 'none';
  const changes = quiet(git, ['status', '--porcelain', '--untracked-files=no'], cwd);
  return changes ? `${commit} (modified)` : commit;
}

export interface EnvironmentSubjects {
  /** The configured subjects whose versions are recorded. */
  config: WritegateConfig;
  /** Where the user runs writegate: the repository recorded and where relative binaries resolve. */
  cwd?: string;
  versionTimeoutMs?: number;
}

/**
 * What a reader needs to trust a figure. `machine_class` groups runs whose timings are comparable
 * (history compares only within one class): OS, kernel, CPU model and count, filesystem. `commit`
 * and `writegate_version` are writegate's own; `repo_commit` and `subject_versions` are the user's.
 */
export function captureEnvironment(
  workspaceDir: string,
  profile: string,
  subjects: EnvironmentSubjects = { config: {} },
): EnvRecord {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model.trim() ?? 'unknown';
  const fsType = filesystemType(workspaceDir);
  const kernel = os.release();
  const cwd = subjects.cwd ?? process.cwd();
  const record: EnvRecord = {
    time: new Date().toISOString(),
    profile,
    writegate_version: packageVersion(),
    commit: process.env.WRITEGATE_COMMIT ?? quiet('git', ['rev-parse', '--short=12', 'HEAD'], packageRoot) ?? 'unknown',
    repo_commit: repoCommit(cwd, subjects.config.git),
    subject_versions: subjectVersions(subjects.config, cwd, workspaceDir, subjects.versionTimeoutMs),
    node: process.version,
    os: `${os.type()} ${os.arch()}`,
    kernel,
    cpu_model: cpuModel,
    cpu_count: String(cpus.length),
    memory_gib: (os.totalmem() / 2 ** 30).toFixed(1),
    fs_type: fsType,
    git: toolVersion('git') ?? 'not found',
    strace: toolVersion('strace', ['-V']) ?? 'not found',
    ci: process.env.CI ? 'true' : 'false',
  };
  record.machine_class =
    process.env.WRITEGATE_MACHINE_CLASS ?? [os.type(), os.arch(), cpuModel, `${cpus.length}cpu`, fsType].join('|');
  return record;
}
