/**
 * Rewrites what differs between runs but means the same thing: the fixture's absolute path, the
 * workspace root and the loopback server's port. Applied to snapshots (config, worktree list, state
 * files), to output before signals are compared, and to everything a report shows, so results from two
 * runs (two workspaces, two ports) can be compared as text.
 */
export interface Normaliser {
  (text: string): string;
}

export const FIXTURE_PLACEHOLDER = '<fixture>';
export const SANDBOX_PLACEHOLDER = '<workspace>';
export const PORT_PLACEHOLDER = '<port>';

export function makeNormaliser(options: { fixtureRoot: string; sandboxRoot: string; port?: number }): Normaliser {
  // Longest first: the fixture root lies inside the sandbox root.
  const replacements: [string, string][] = [
    [options.fixtureRoot, FIXTURE_PLACEHOLDER],
    [options.sandboxRoot, SANDBOX_PLACEHOLDER],
  ];
  if (options.port !== undefined) replacements.push([`127.0.0.1:${options.port}`, `127.0.0.1:${PORT_PLACEHOLDER}`]);
  return (text: string) => {
    let out = text;
    for (const [from, to] of replacements) out = out.split(from).join(to);
    return out;
  };
}
