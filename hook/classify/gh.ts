import { optionValue, optionValues, readArgs } from './options.js';
import { mutating, readOnly, unknown, type Verdict } from './types.js';

interface GhGroup {
  /** Subcommands that only read from GitHub. */
  reads: readonly string[];
  /** Subcommands that change GitHub or the local clone, with what they do. */
  writes: Record<string, string>;
}

const GROUPS: Record<string, GhGroup> = {
  pr: {
    reads: ['list', 'view', 'status', 'diff', 'checks'],
    writes: {
      create: 'opens a pull request',
      merge: 'merges a pull request',
      close: 'closes a pull request',
      reopen: 'reopens a pull request',
      comment: 'comments on a pull request',
      edit: 'edits a pull request',
      review: 'reviews a pull request',
      ready: 'marks a pull request ready',
      checkout: 'checks out a pull request branch locally',
      lock: 'locks a pull request',
      unlock: 'unlocks a pull request',
      revert: 'reverts a pull request',
      'update-branch': 'updates a pull request branch',
    },
  },
  issue: {
    reads: ['list', 'view', 'status'],
    writes: {
      create: 'opens an issue',
      close: 'closes an issue',
      reopen: 'reopens an issue',
      comment: 'comments on an issue',
      edit: 'edits an issue',
      delete: 'deletes an issue',
      transfer: 'moves an issue',
      pin: 'pins an issue',
      unpin: 'unpins an issue',
      lock: 'locks an issue',
      unlock: 'unlocks an issue',
      develop: 'creates a branch for an issue',
    },
  },
  repo: {
    reads: ['view', 'list'],
    writes: {
      clone: 'copies a repository onto disk',
      create: 'creates a repository',
      fork: 'forks a repository',
      delete: 'deletes a repository',
      edit: 'changes repository settings',
      rename: 'renames a repository',
      archive: 'archives a repository',
      unarchive: 'unarchives a repository',
      sync: 'syncs a repository',
      'set-default': 'changes the default repository',
    },
  },
  run: {
    reads: ['list', 'view', 'watch'],
    writes: {
      rerun: 'reruns a workflow run',
      cancel: 'cancels a workflow run',
      delete: 'deletes a workflow run',
      download: 'downloads artifacts onto disk',
    },
  },
  workflow: {
    reads: ['list', 'view'],
    writes: { run: 'starts a workflow', enable: 'enables a workflow', disable: 'disables a workflow' },
  },
  release: {
    reads: ['list', 'view'],
    writes: {
      create: 'publishes a release',
      edit: 'edits a release',
      delete: 'deletes a release',
      upload: 'uploads release assets',
      download: 'downloads release assets onto disk',
      'delete-asset': 'deletes a release asset',
    },
  },
  label: {
    reads: ['list'],
    writes: { create: 'creates a label', edit: 'edits a label', delete: 'deletes a label', clone: 'copies labels' },
  },
  gist: {
    reads: ['list', 'view'],
    writes: {
      create: 'creates a gist',
      edit: 'edits a gist',
      delete: 'deletes a gist',
      clone: 'copies a gist onto disk',
      rename: 'renames a gist file',
    },
  },
  secret: { reads: ['list'], writes: { set: 'sets a secret', delete: 'deletes a secret' } },
  variable: { reads: ['list', 'get'], writes: { set: 'sets a variable', delete: 'deletes a variable' } },
  cache: { reads: ['list'], writes: { delete: 'deletes caches' } },
  auth: {
    reads: ['status', 'token'],
    writes: {
      login: 'changes stored credentials',
      logout: 'removes stored credentials',
      refresh: 'changes stored credentials',
      'setup-git': 'changes git configuration',
      switch: 'changes the active account',
    },
  },
  config: { reads: ['get', 'list'], writes: { set: 'changes gh configuration', 'clear-cache': 'deletes the cache' } },
  search: { reads: ['repos', 'issues', 'prs', 'commits', 'code'], writes: {} },
};

/** Single commands that only read or open a browser. */
const READ_ONLY_COMMANDS = new Set(['status', 'browse', 'help', '--version', 'version', '--help']);

export function classifyGh(args: readonly string[]): Verdict {
  const [group, sub] = args;
  if (group === undefined) return readOnly('gh with no command only prints its usage');
  if (READ_ONLY_COMMANDS.has(group)) return readOnly(`gh ${group} only reads`);
  if (group === 'api') return classifyGhApi(args.slice(1));
  const known = GROUPS[group];
  if (!known) return unknown(`gh ${group} is not a gh command this classifier knows`);
  if (sub === undefined || sub.startsWith('-'))
    return readOnly(`gh ${group} without a subcommand only prints its usage`);
  if (known.reads.includes(sub)) return readOnly(`gh ${group} ${sub} only reads from GitHub`);
  const write = known.writes[sub];
  if (write !== undefined) return mutating(`gh ${group} ${sub} ${write}`);
  return unknown(`gh ${group} ${sub} is not a gh command this classifier knows`);
}

/**
 * `gh api` sends GET unless told otherwise, and POST as soon as a field or `--input` is given. With an
 * explicit `-X GET` the fields become query parameters, so it still only reads. A GraphQL call is a POST
 * either way: a `query` only reads, a `mutation` writes.
 */
function classifyGhApi(args: readonly string[]): Verdict {
  const read = readArgs(args, {
    valued: [
      '-X',
      '--method',
      '-f',
      '--raw-field',
      '-F',
      '--field',
      '-H',
      '--header',
      '--input',
      '-q',
      '--jq',
      '-t',
      '--template',
      '--hostname',
      '-p',
      '--preview',
      '--cache',
    ],
  });
  const endpoint = read.positionals[0];
  if (endpoint === undefined) return unknown('gh api without an endpoint');
  const fields = optionValues(read, '-f', '--raw-field', '-F', '--field');
  const method = optionValue(read, '-X', '--method')?.toUpperCase();
  if (endpoint === 'graphql') {
    const query = fields.find((field) => field.startsWith('query='))?.slice('query='.length);
    if (query === undefined) return unknown('gh api graphql without a query field');
    if (query.startsWith('@')) return unknown('gh api graphql reads its query from a file');
    if (/^\s*mutation\b/.test(query)) return mutating('gh api graphql sends a GraphQL mutation');
    return readOnly('gh api graphql sends a GraphQL query, which only reads');
  }
  if (method !== undefined) {
    if (method === 'GET' || method === 'HEAD') return readOnly(`gh api -X ${method} only reads from GitHub`);
    return mutating(`gh api -X ${method} changes GitHub`);
  }
  if (fields.length > 0 || optionValue(read, '--input') !== undefined)
    return mutating('gh api with fields sends a POST, which changes GitHub');
  return readOnly('gh api sends a GET, which only reads from GitHub');
}
