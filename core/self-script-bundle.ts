import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot, runningFromSource, setBundledSelfScript } from './self-script.js';

/** The little of esbuild's API used here; typed locally because esbuild is only tsx's dependency. */
interface Bundler {
  build(options: Record<string, unknown>): Promise<unknown>;
}

async function loadBundler(): Promise<Bundler | undefined> {
  const specifier = 'esbuild';
  try {
    return (await import(specifier)) as Bundler;
  } catch {
    return undefined;
  }
}

/**
 * From source, every self-script spawn pays for the tsx loader (~0.2 s more than a plain node
 * start; ~0.5 s for the whole CLI). A suite that spawns hundreds of one-shot writers (crash), or a command that
 * runs each round as a writegate process of its own (compare, validate-gate), bundles them once into `dir`
 * (inside its workspace) and spawns plain node instead. npm packages stay external and resolve
 * through a `node_modules` link, so the code that runs is the same. From dist, or when esbuild is
 * absent, this is a no-op. Returns the function that forgets the bundles again.
 */
export async function bundleSelfScripts(dir: string, scripts: readonly string[]): Promise<() => void> {
  if (!runningFromSource) return () => {};
  const bundler = await loadBundler();
  if (!bundler) return () => {};
  fs.mkdirSync(dir, { recursive: true });
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(packageRoot, 'node_modules'), link, 'dir');
  const done: string[] = [];
  for (const script of scripts) {
    const outfile = path.join(dir, script.replace(/\.(ts|js)$/, '.mjs'));
    await bundler.build({
      entryPoints: [path.join(packageRoot, script)],
      outfile,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      // The one module that reads its own URL (self-script.ts) then still finds the package root from the
      // bundle and knows it runs from source, so a bundled writegate starts its own scripts as the sources would.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(packageRoot, 'core/self-script.ts')).href) },
      logLevel: 'silent',
    });
    setBundledSelfScript(script, outfile);
    done.push(script);
  }
  return () => {
    for (const script of done) setBundledSelfScript(script, undefined);
  };
}
