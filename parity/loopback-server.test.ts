import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '../core/process.js';
import { Workspace } from '../core/workspace.js';
import { CASE_DATE, createSandbox, gitEnvironment } from './git-env.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { resolveNativeGit } from './wrappers.js';

const gitPath = resolveNativeGit(undefined, process.env.PATH ?? '');
const workspaces: Workspace[] = [];
afterEach(async () => {
  for (const workspace of workspaces.splice(0)) await workspace.dispose();
});

async function serve(): Promise<{
  workspace: Workspace;
  server: LoopbackServer;
  env: Record<string, string>;
  root: string;
}> {
  const workspace = Workspace.create('writegate-parity-test-');
  workspaces.push(workspace);
  const sandbox = createSandbox(workspace.dir('parity'));
  const env = gitEnvironment(sandbox, CASE_DATE);
  const root = workspace.dir('parity', 'fx');
  const server = await startLoopbackServer({ projectRoot: root, git: gitPath, env });
  workspace.onCleanup(() => server.close());
  return { workspace, server, env, root };
}

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('loopback smart-HTTP server', () => {
  it('binds 127.0.0.1 on an ephemeral port and answers /auth/ with a Basic challenge', async () => {
    const { server } = await serve();
    expect(server.host).toBe(`127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await get(`http://${server.host}/auth/remote.git/info/refs?service=git-upload-pack`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(server.hits.auth).toBe(1);
  });

  it('serves a real repository through git http-backend for clone and push', async () => {
    const { server, env, root } = await serve();
    const run = (args: string[], cwd = root) =>
      runProcess([gitPath, ...args], { cwd, env, isolatedEnv: true, timeoutMs: 30_000 });
    expect((await run(['init', '-q', '--bare', '-b', 'main', 'served.git'])).exitCode).toBe(0);
    expect((await run(['config', 'http.receivepack', 'true'], path.join(root, 'served.git'))).exitCode).toBe(0);
    expect((await run(['clone', '-q', `http://${server.host}/git/served.git`, 'clone'])).exitCode).toBe(0);
    expect((await run(['commit', '-q', '--allow-empty', '-m', 'over http'], path.join(root, 'clone'))).exitCode).toBe(
      0,
    );
    const push = await run(['push', '-q', 'origin', 'main'], path.join(root, 'clone'));
    expect(push.stderr).toBe('');
    expect(push.exitCode).toBe(0);
    const served = await run(['rev-parse', 'refs/heads/main'], path.join(root, 'served.git'));
    const local = await run(['rev-parse', 'HEAD'], path.join(root, 'clone'));
    expect(served.stdout).toBe(local.stdout);
    expect(server.hits.git).toBeGreaterThan(2);
  });

  it('refuses paths that climb out of the project root', async () => {
    const { server } = await serve();
    const response = await get(`http://${server.host}/git/%2e%2e/etc/info/refs`);
    expect([403, 404]).toContain(response.status);
  });

  it('is stopped by the workspace cleanup, as on SIGINT', async () => {
    const { workspace, server } = await serve();
    expect(await refused(server.port)).toBe(false);
    await workspace.dispose();
    expect(await refused(server.port)).toBe(true);
  });
});
