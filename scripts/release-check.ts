/**
 * The release workflow's checks (.github/workflows/release.yml), runnable here before a tag is pushed:
 *
 *   npx tsx scripts/release-check.ts v1.2.3 [--no-pack] [--notes FILE]
 *
 * - the tag is vMAJOR.MINOR.PATCH (a -prerelease allowed) and equals package.json's version;
 * - CHANGELOG.md has a non-empty `## [1.2.3]` section: it becomes the GitHub release's body (--notes);
 * - `npm pack --dry-run` (scripts skipped, so dist/ must already be built) holds the CLI, README,
 *   LICENSE and CHANGELOG, and no TypeScript sources or tests;
 * - dist/ was built from this checkout's sources (the digest the action checks before it uses a release).
 * Prints each problem on one line and exits 1 when there is any; exit 2 on bad arguments. Under
 * GitHub Actions it also writes the version, its major tag and whether it is a prerelease to
 * $GITHUB_OUTPUT.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReleaseTag {
  version: string;
  /** The moving tag users pin (`v1` for v1.2.3). */
  majorTag: string;
  prerelease: boolean;
}

/** A release tag: v, then a semver version (build metadata is not taken: npm ignores it). */
export function parseTag(tag: string): ReleaseTag | undefined {
  const m = /^v((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)$/.exec(tag);
  if (!m) return undefined;
  return { version: m[1] as string, majorTag: `v${m[2]}`, prerelease: m[5] !== undefined };
}

/** Why the tag cannot release this package.json version, or undefined when it can. */
export function tagProblem(tag: string, packageVersion: string): string | undefined {
  const parsed = parseTag(tag);
  if (!parsed) return `tag ${JSON.stringify(tag)} is not a release tag (vMAJOR.MINOR.PATCH, e.g. v1.2.3)`;
  if (parsed.version !== packageVersion) {
    return (
      `tag ${tag} does not match package.json's version ${packageVersion}: set ` +
      `"version" to ${parsed.version} or tag v${packageVersion}`
    );
  }
  return undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The body of a version's section in a Keep a Changelog file: the lines after `## [1.2.3]` (or
 * `## 1.2.3`) up to the next `## ` heading, without the link definitions a last section is followed by.
 * Empty string when the section is there but says nothing; undefined when there is none.
 */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^##\\s+\\[?${escapeRegExp(version)}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const next = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  const body = lines.slice(start + 1, next < 0 ? undefined : next).filter((line) => !/^\[[^\]]+\]:\s/.test(line));
  return body.join('\n').trim();
}

/** Why the changelog cannot give this version's release notes, or undefined when it can. */
export function changelogProblem(changelog: string | undefined, version: string): string | undefined {
  if (changelog === undefined) return 'CHANGELOG.md is missing';
  const section = changelogSection(changelog, version);
  if (section === undefined)
    return `CHANGELOG.md has no "## [${version}]" section: add one with what this release changes`;
  // Headings alone (### Added with nothing under it) are not release notes.
  if (!section.split('\n').some((line) => line.trim() !== '' && !/^#{3,}\s/.test(line))) {
    return `CHANGELOG.md's "## [${version}]" section is empty: say what this release changes`;
  }
  return undefined;
}

/** What every published package must hold: the command, and the documents npm shows and users need. */
export const REQUIRED_FILES = [
  'dist/cli/bin.js',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/source-digest.txt',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'package.json',
] as const;

const DIGEST_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'action', 'source-digest.mjs');

/** The digest of the sources at `root`, as `npm run build` records it in dist/source-digest.txt. */
export function sourceDigest(root: string): string {
  return execFileSync(process.execPath, [DIGEST_SCRIPT, root], { encoding: 'utf8' }).trim();
}

/**
 * Why dist/ is not the build of the checkout at `root`, or undefined when it is. The action installs
 * a release only when the digest it carries equals the action's own checkout's (action/install.sh).
 */
export function buildDigestProblem(root: string): string | undefined {
  const file = path.join(root, 'dist', 'source-digest.txt');
  if (!fs.existsSync(file)) return 'dist/source-digest.txt is missing: run npm run build';
  const built = fs.readFileSync(file, 'utf8').trim();
  if (built !== sourceDigest(root))
    return 'dist/ was built from other sources than this checkout (dist/source-digest.txt differs): run npm run build';
  return undefined;
}

/** Why a packed path should not ship, or undefined when it may. */
export function forbiddenReason(file: string): string | undefined {
  const name = path.posix.basename(file);
  if (/(^|\/)(test|tests|__tests__|fixtures)\//.test(file)) return 'a test directory';
  if (/\.(test|spec|bench)\.[cm]?[jt]sx?$/.test(name) || /\.(test|spec|bench)\.d\.[cm]?ts$/.test(name))
    return 'a test file';
  if (/\.[cm]?tsx?$/.test(name) && !/\.d\.[cm]?ts$/.test(name)) return 'a TypeScript source (the package ships dist/)';
  if (/\.map$/.test(name)) return 'a source map of sources the package does not ship';
  return undefined;
}

/** Problems with the list of files a pack would publish (paths relative to the package root). */
export function packedFilesProblems(files: readonly string[]): string[] {
  const held = new Set(files);
  const problems = REQUIRED_FILES.filter((file) => !held.has(file)).map(
    (file) => `the package would not contain ${file}`,
  );
  for (const file of files) {
    const reason = forbiddenReason(file);
    if (reason) problems.push(`the package would contain ${file}: ${reason}`);
  }
  return problems;
}

/** The files `npm pack` would publish from `dir`, without running its scripts (so no build). */
export function packedFiles(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(out) as { files?: { path: string }[] }[];
  const files = parsed[0]?.files;
  if (!Array.isArray(files)) throw new Error(`npm pack --dry-run --json in ${dir} printed no file list`);
  return files.map((f) => f.path).sort();
}

export interface ReleaseCheck {
  tag: ReleaseTag | undefined;
  notes: string | undefined;
  problems: string[];
}

/** Every check on the checkout at `root` for `tag`; `pack: false` leaves the packed files unchecked. */
export function releaseCheck(root: string, tag: string, options: { pack: boolean }): ReleaseCheck {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  const version = typeof pkg.version === 'string' ? pkg.version : '(none)';
  const changelogPath = path.join(root, 'CHANGELOG.md');
  const changelog = fs.existsSync(changelogPath) ? fs.readFileSync(changelogPath, 'utf8') : undefined;
  const parsed = parseTag(tag);
  const problems: string[] = [];
  const tagIssue = tagProblem(tag, version);
  if (tagIssue) problems.push(tagIssue);
  // The notes are looked up for the tag's version: the one the release will be named after.
  const notesVersion = parsed?.version ?? version;
  const changelogIssue = changelogProblem(changelog, notesVersion);
  if (changelogIssue) problems.push(changelogIssue);
  if (options.pack) {
    problems.push(...packedFilesProblems(packedFiles(root)));
    const digestIssue = buildDigestProblem(root);
    if (digestIssue) problems.push(digestIssue);
  }
  return {
    tag: parsed,
    notes: changelogIssue || changelog === undefined ? undefined : changelogSection(changelog, notesVersion),
    problems,
  };
}

function main(argv: string[]): number {
  const usage = 'usage: release-check.ts vMAJOR.MINOR.PATCH [--no-pack] [--notes FILE]';
  const [tag, ...rest] = argv;
  let pack = true;
  let notesFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--no-pack') pack = false;
    else if (rest[i] === '--notes' && rest[i + 1]) notesFile = rest[++i];
    else {
      console.error(`release-check: unknown argument ${JSON.stringify(rest[i])}; ${usage}`);
      return 2;
    }
  }
  if (!tag || tag.startsWith('-')) {
    console.error(`release-check: no tag given; ${usage}`);
    return 2;
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const check = releaseCheck(root, tag, { pack });
  for (const problem of check.problems) console.error(`release-check: ${problem}`);
  if (check.problems.length > 0 || !check.tag || check.notes === undefined) return 1;
  if (notesFile) fs.writeFileSync(notesFile, `${check.notes}\n`);
  if (process.env.GITHUB_OUTPUT) {
    fs.appendFileSync(
      process.env.GITHUB_OUTPUT,
      `version=${check.tag.version}\nmajor-tag=${check.tag.majorTag}\nprerelease=${check.tag.prerelease}\n`,
    );
  }
  const packNote = pack ? ', the packed files are right' : ' (packed files not checked)';
  console.log(`release-check: ${tag} matches package.json, CHANGELOG.md has its notes${packNote}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
