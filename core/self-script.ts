import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest directory above this module holding package.json. */
export const packageRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('writegate: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

export const runningFromSource: boolean = fileURLToPath(import.meta.url).endsWith('.ts');

/** Prebuilt single-file bundles of self scripts (see self-script-bundle.ts), by extensionless path. */
const bundledScripts = new Map<string, string>();

/** Makes `selfScriptArgv(relativeFromRoot)` run `file` with plain node; `undefined` forgets it. */
export function setBundledSelfScript(relativeFromRoot: string, file: string | undefined): void {
  const base = relativeFromRoot.replace(/\.(ts|js)$/, '');
  if (file === undefined) bundledScripts.delete(base);
  else bundledScripts.set(base, file);
}

/**
 * argv that runs one of writegate's own scripts as a separate process, e.g. the one-shot writer of
 * a built-in subject. From the built package that is plain node; from source (tests) node with the
 * tsx loader, so tests need no build step.
 */
export function selfScriptArgv(relativeFromRoot: string, args: readonly string[] = []): string[] {
  const base = relativeFromRoot.replace(/\.(ts|js)$/, '');
  const bundled = bundledScripts.get(base);
  if (bundled) return [process.execPath, bundled, ...args];
  if (runningFromSource) {
    const loader = path.join(packageRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
    return [process.execPath, '--import', pathToFileUrlString(loader), path.join(packageRoot, `${base}.ts`), ...args];
  }
  return [process.execPath, path.join(packageRoot, 'dist', `${base}.js`), ...args];
}

function pathToFileUrlString(file: string): string {
  return new URL(`file://${file}`).href;
}
