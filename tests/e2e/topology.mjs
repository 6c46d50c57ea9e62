// The way users run NetLens, in one place: the mock's four APIs, and `netlens-proxy --dist` serving the
// built app on one origin with GRIP and Spamhaus forwarded under `/api/<source>/` (the two that send no
// CORS headers, as the real services do). Spoofer and IODA stay cross-origin, straight to the mock's
// ports, with their CORS. Used by the e2e fixtures, `make demo`, scripts/bench.mjs and
// scripts/screenshots.mjs.
//
//   node tests/e2e/topology.mjs [--port 8700] [--dist dist] [--public-path /netlens/]   (make demo)
//
// The per-topology config file (`--config`) is what a deployer edits; the proxy re-reads it on every
// request and serves it as `/config.json` with grip and spamhaus set to `"api/grip"` and
// `"api/spamhaus"`.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startMock } from '../mock/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `cargo build -p netlens-proxy` puts the binary (also when CARGO_TARGET_DIR moves the target dir). */
export function proxyBinary() {
  if (process.env.NETLENS_PROXY_BIN) return process.env.NETLENS_PROXY_BIN;
  return path.join(path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target'), 'debug/netlens-proxy');
}

let helpText = null;
/** Whether this build of netlens-proxy knows a flag (read from its `--help`). */
export function proxySupports(flag, binary = proxyBinary()) {
  if (helpText === null) {
    const r = spawnSync(binary, ['--help'], { encoding: 'utf8' });
    helpText = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  }
  return new RegExp(`(^|\\s)${flag.replace(/[-]/g, '\\-')}(\\s|=|$)`, 'm').test(helpText);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts netlens-proxy with `args` on `listen` (default a port the system picks, which the proxy prints
 * on stdout), and waits until `/healthz` answers 200. `log()` gives everything it printed.
 */
export async function startProxy(args, { listen = '127.0.0.1:0', binary = proxyBinary(), env = {} } = {}) {
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: run cargo build -p netlens-proxy`);
  const child = spawn(binary, ['--listen', listen, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`netlens-proxy did not print its address within 15 s:\n${log}`)), 15_000);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`netlens-proxy exited with ${code}:\n${log}`));
    };
    let out = '';
    let err = '';
    const found = (url) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(url.startsWith('http') ? url : `http://${url}`);
    };
    // The address on stdout (`--listen …:0`); a proxy without --dist may only log it on stderr, where
    // upstream URLs appear too, so there only a "listening on" line or a forwarding line counts.
    child.stdout.on('data', (chunk) => {
      log += chunk;
      out += chunk;
      const m = out.match(/https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/) ?? out.match(/\b127\.0\.0\.1:\d+/);
      if (m) found(m[0]);
    });
    child.stderr.on('data', (chunk) => {
      log += chunk;
      err += chunk;
      const m = err.match(/listening on (?:http:\/\/)?(127\.0\.0\.1:\d+)/i) ?? err.match(/(http:\/\/127\.0\.0\.1:\d+)\/(?:api\/)?(?:spoofer|grip|ioda|spamhaus)\//);
      if (m) found(m[1]);
    });
    child.on('exit', onExit);
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not accepting yet
    }
    if (i > 100 || child.exitCode !== null) throw new Error(`netlens-proxy at ${url} never answered /healthz:\n${log}`);
    await sleep(100);
  }
  return {
    url,
    child,
    log: () => log,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A config.json value written to `file`: an object as JSON, a string verbatim, null removes the file. */
export function writeConfigFile(file, config) {
  if (config === null) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
}

/**
 * The mock APIs (with their static server for the app, the no-proxy static host) and netlens-proxy in
 * front of `dist` (with `publicPath`, a build for that sub-path). `config` is merged into the default config file: Spoofer and IODA at the mock's
 * ports. Returns the mock's fields with `urls.app`/`urls.appRoot` on the proxy's origin, and
 * `urls.staticApp`/`urls.staticRoot` on the mock's own static server.
 */
export async function startTopology({
  dist = path.join(ROOT, 'dist'),
  publicPath = '/',
  anchor,
  config = {},
  mockPort = 0,
  listen = '127.0.0.1:0',
  proxyArgs = [],
  staticHost = true,
} = {}) {
  // With `staticHost`, the mock also serves `dist` itself on its base port (a static host, no proxy).
  const mock = await startMock({ port: mockPort, dist: staticHost ? dist : null, anchor, publicPath });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-topology-'));
  const configFile = path.join(dir, 'config.json');
  const defaultConfig = { ...config, endpoints: { spoofer: mock.urls.spoofer, ioda: mock.urls.ioda, ...(config.endpoints ?? {}) } };
  writeConfigFile(configFile, defaultConfig);
  const trimmed = String(publicPath).replace(/^\/+|\/+$/g, '');
  const base = trimmed ? `/${trimmed}/` : '/';
  const args = ['--dist', dist, '--config', configFile, '--upstream', `grip=${mock.urls.grip}`, '--upstream', `spamhaus=${mock.urls.spamhaus}`, ...proxyArgs];
  if (base !== '/') args.push('--public-path', base);
  let proxy;
  try {
    proxy = await startProxy(args, { listen });
  } catch (e) {
    await mock.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    data: mock.data,
    ports: mock.ports,
    now: mock.now,
    dataOf: mock.dataOf,
    mock,
    proxy,
    configFile,
    defaultConfig,
    urls: {
      ...mock.urls,
      app: proxy.url,
      appRoot: `${proxy.url}${base}`,
      staticApp: mock.urls.app,
      staticRoot: mock.urls.appRoot,
      // Where the browser sends GRIP and Spamhaus requests: the proxy's forwarding on the app's origin.
      proxied: { grip: `${proxy.url}${base}api/grip`, spamhaus: `${proxy.url}${base}api/spamhaus` },
    },
    /** Replaces the deployer's config file (read again by the proxy on the next request). */
    writeConfig: (c) => writeConfigFile(configFile, c),
    close: async () => {
      await proxy.close();
      await mock.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI: `make demo`

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].startsWith('--') ? argv[i].slice(2).split('=', 2) : [null, null];
    if (!k) continue;
    const v = inline ?? argv[++i];
    if (k === 'port') out.port = Number(v);
    else if (k === 'dist') out.dist = path.resolve(v);
    else if (k === 'public-path') out.publicPath = v;
    else throw new Error(`unknown option --${k}`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { port = 8700, dist = path.join(ROOT, 'dist'), publicPath = '/' } = parseArgs(process.argv.slice(2));
  // The app on `port`, the mock's services on port+1…+4.
  const t = await startTopology({ dist, publicPath, mockPort: port, listen: `127.0.0.1:${port}`, staticHost: false });
  console.log(`NetLens demo: ${t.urls.appRoot}`);
  console.log(`  netlens-proxy --dist ${path.relative(process.cwd(), dist) || '.'}: the app, /api/grip and /api/spamhaus (no CORS needed)`);
  for (const s of ['spoofer', 'grip', 'ioda', 'spamhaus']) console.log(`  mock ${s.padEnd(9)} ${t.urls[s]}`);
  console.log(`  config     ${t.configFile} (edit it: the proxy reads it on every request)`);
  console.log('Ctrl-C stops.');
  const stop = async () => {
    await t.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
