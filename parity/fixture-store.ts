import fs from 'node:fs';
import path from 'node:path';
import type { ProcessRunner } from './children.js';
import { resolveFixture, type FixtureName } from './fixtures.js';
import { gitEnvironment, tickDate, type GitSandbox } from './git-env.js';

const STEP_TIMEOUT_MS = 60_000;

/**
 * Builds each fixture once and hands out fresh copies of it.
 *
 * Every side of a case (native, each wrapper) runs at the *same* absolute path, one after the other:
 * the fixture is built at `fx/<name>`, kept as a pristine copy, and copied back before each side. So
 * everything git records about paths (remote URLs, worktree links, merge messages naming a remote) is
 * byte-identical on every side and cannot show up as a false difference; normalisation only makes
 * reports readable and comparable across runs. Cases of one fixture therefore run one at a time;
 * different fixtures run in parallel.
 */
export class FixtureStore {
  private readonly built = new Map<FixtureName, Promise<void>>();

  constructor(
    private readonly sandbox: GitSandbox,
    private readonly git: string,
    /** `127.0.0.1:PORT` of the loopback server, when one runs. */
    private readonly httpHost: string | undefined,
    private readonly run: ProcessRunner,
  ) {}

  /** Where a fixture's cases run (and where it is built). */
  root(name: FixtureName): string {
    return path.join(this.sandbox.root, 'fx', name);
  }

  private pristine(name: FixtureName): string {
    return path.join(this.sandbox.root, 'pristine', name);
  }

  /** Puts a fresh copy of the fixture at `root(name)`, building it first if this run has not yet. */
  async materialise(name: FixtureName): Promise<string> {
    let building = this.built.get(name);
    if (!building) {
      building = this.build(name);
      this.built.set(name, building);
    }
    await building;
    const root = this.root(name);
    fs.rmSync(root, { recursive: true, force: true });
    fs.cpSync(this.pristine(name), root, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return root;
  }

  private async build(name: FixtureName): Promise<void> {
    const root = this.root(name);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    const { steps, remotes, scratch } = resolveFixture(name);
    let tick = 0;
    const git = async (args: readonly string[], dir: string): Promise<void> => {
      tick += 1;
      const result = await this.run([this.git, ...args], {
        cwd: path.join(root, dir),
        env: gitEnvironment(this.sandbox, tickDate(tick)),
        isolatedEnv: true,
        timeoutMs: STEP_TIMEOUT_MS,
      });
      if (result.exitCode !== 0) {
        const why =
          result.spawnError ??
          (result.timedOut ? 'timed out' : result.stderr.trim() || `exit ${result.exitCode ?? result.signal}`);
        throw new Error(`parity fixture ${name}: step \`git ${args.join(' ')}\` in ${dir} failed: ${why}`);
      }
    };
    for (const step of steps) {
      if ('write' in step) {
        const file = path.join(root, step.write);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, step.content);
      } else if ('mkdir' in step) {
        fs.mkdirSync(path.join(root, step.mkdir), { recursive: true });
      } else {
        await git(
          step.git.map((arg) => this.fill(arg, name, root)),
          step.in ?? 'work',
        );
      }
    }
    for (const dir of scratch) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
    // Objects into one pack and refs into packed-refs: a few files to copy per side instead of
    // hundreds. Both sides start from the same packed state, so no case can tell the difference.
    for (const repo of ['work', ...remotes]) {
      await git(['repack', '-a', '-d', '-q'], repo);
      await git(['pack-refs', '--all'], repo);
    }
    const pristine = this.pristine(name);
    fs.rmSync(pristine, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(pristine), { recursive: true });
    fs.cpSync(root, pristine, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }

  private fill(arg: string, name: FixtureName, root: string): string {
    return arg.replace(/\{(root|http|fixture)\}/g, (_, key: string) => {
      if (key === 'root') return root;
      if (key === 'fixture') return name;
      if (!this.httpHost) throw new Error(`parity fixture ${name} needs the loopback server, which is not running`);
      return this.httpHost;
    });
  }
}
