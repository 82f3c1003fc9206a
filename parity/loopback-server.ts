import { spawn, type ChildProcess } from 'node:child_process';
import { isShuttingDown, runTokenEnv, trackChild, untrackChild } from '../core/lifecycle.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface LoopbackServer {
  /** `127.0.0.1:PORT`, what fixtures put after `http://`. */
  readonly host: string;
  readonly port: number;
  /** Requests seen, by path prefix: lets tests see that git really talked to the server. */
  readonly hits: { auth: number; git: number };
  /** Stops listening, drops open connections and kills any running http-backend; idempotent. */
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** Served at `/git/<path>`: the directory `git http-backend` sees as GIT_PROJECT_ROOT. */
  projectRoot: string;
  /** The native git (its `http-backend` subcommand serves `/git/`). */
  git: string;
  /** Environment of the http-backend processes (the run's isolated git environment). */
  env: Record<string, string>;
}

const REALM = 'writegate parity';

/**
 * A smart-HTTP remote on 127.0.0.1, ephemeral port. `/auth/...` always answers 401 with a Basic
 * challenge (the authentication-failure cases); `/git/...` runs `git http-backend` as a CGI, so a
 * case can push and fetch over real HTTP. Nothing else is served.
 */
export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const children = new Set<ChildProcess>();
  const hits = { auth: 0, git: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/auth/')) {
      hits.auth += 1;
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': `Basic realm="${REALM}"`, 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    if (url.pathname.startsWith('/git/')) {
      hits.git += 1;
      serveCgi(req, res, url, options, children);
      return;
    }
    req.resume();
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host: `127.0.0.1:${port}`,
    port,
    hits,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const child of children) child.kill('SIGKILL');
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** RFC 3875 in the small: request → CGI environment + stdin; CGI stdout (headers, body) → response. */
function serveCgi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  options: LoopbackOptions,
  children: Set<ChildProcess>,
): void {
  const pathInfo = url.pathname.slice('/git'.length);
  if (pathInfo.split('/').includes('..')) {
    req.resume();
    res.writeHead(403).end();
    return;
  }
  const env: Record<string, string> = {
    ...options.env,
    GIT_PROJECT_ROOT: path.resolve(options.projectRoot),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    GATEWAY_INTERFACE: 'CGI/1.1',
  };
  if (req.headers['content-type']) env.CONTENT_TYPE = req.headers['content-type'];
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  const encoding = req.headers['content-encoding'];
  if (typeof encoding === 'string') env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;

  if (isShuttingDown()) {
    res.writeHead(503).end();
    return;
  }
  // Its own process group, registered with the lifecycle until it exits (core/lifecycle.ts), so an
  // interrupted or killed run does not leave a backend behind (with the run's token: even if killed
  // before it is registered).
  const child = spawn(options.git, ['http-backend'], {
    env: { ...env, ...runTokenEnv() },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid !== undefined) {
    trackChild(pid);
    child.once('exit', () => untrackChild(pid));
  }
  children.add(child);
  child.on('close', () => children.delete(child));
  child.on('error', () => {
    if (!res.headersSent) res.writeHead(500).end();
  });
  child.stderr.resume();
  req.pipe(child.stdin);
  child.stdin.on('error', () => {
    // The backend may exit before reading the whole request (a refused push); the response says why.
  });

  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = findHeaderEnd(head);
    if (!end) return;
    headersDone = true;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(end.at + end.length));
  });
  child.stdout.on('end', () => {
    if (!headersDone && !res.headersSent) res.writeHead(502);
    res.end();
  });
}

function findHeaderEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}
