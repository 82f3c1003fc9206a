import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EnvRecord } from './schema.js';
import { packageRoot } from './self-script.js';
import { toolVersion } from './tools.js';

function quiet(file: string, args: string[], cwd?: string): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd, timeout: 5000 }).trim() || undefined;
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
    return (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * What a reader needs to trust a figure. `machine_class` groups runs whose timings are comparable
 * (history compares only within one class): OS, kernel, CPU model and count, filesystem.
 */
export function captureEnvironment(workspaceDir: string, profile: string): EnvRecord {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model.trim() ?? 'unknown';
  const fsType = filesystemType(workspaceDir);
  const kernel = os.release();
  const record: EnvRecord = {
    time: new Date().toISOString(),
    profile,
    writegate_version: packageVersion(),
    commit: process.env.WRITEGATE_COMMIT ?? quiet('git', ['rev-parse', '--short=12', 'HEAD'], packageRoot) ?? 'unknown',
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
  record.machine_class = process.env.WRITEGATE_MACHINE_CLASS ?? [os.type(), os.arch(), cpuModel, `${cpus.length}cpu`, fsType].join('|');
  return record;
}
