// The Content-Security-Policy builder (scripts/csp.mjs) and the mock's static server applying it:
// `node --test tests/mock/`.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMock } from './server.mjs';
import { applyToDist, computePolicy, connectOrigins, inlineScripts, scriptHash, withPolicyMeta } from '../../scripts/csp.mjs';

// What Trunk 0.21 writes (minified: no <head> tag), with its inline module script.
const BOOT = "import init from '/netlens.js';\nawait init({ module_or_path: '/netlens_bg.wasm' });";
const HTML = `<!doctype html><html lang=en><meta charset=utf-8><title>NetLens</title><script type=module>${BOOT}</script><link href=/netlens.js rel=modulepreload></head><body><script src=/x.js></script></body></html>`;
const sha = (s) => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`;
const directive = (policy, name) => policy.split('; ').find((d) => d.startsWith(name + ' '))?.split(' ').slice(1);

describe('csp.mjs', () => {
  test('the policy allows exactly the inline scripts, the endpoints and the app itself', () => {
    const config = JSON.stringify({ endpoints: { grip: 'http://127.0.0.1:8702/json', ioda: 'https://ioda.example.org:8443/v2/' } });
    const { policy, warnings } = computePolicy({ html: HTML, configText: config });
    assert.deepEqual(warnings, []);
    assert.deepEqual(inlineScripts(HTML), [BOOT]);
    assert.deepEqual(directive(policy, 'script-src'), ["'self'", "'wasm-unsafe-eval'", sha(BOOT)]);
    assert.equal(scriptHash(BOOT.replace(/\n/g, '\r\n')), sha(BOOT)); // as the HTML parser normalises
    assert.deepEqual(directive(policy, 'connect-src'), [
      "'self'", 'https://api.spoofer.caida.org', 'http://127.0.0.1:8702', 'https://ioda.example.org:8443', 'https://api.spamhaus.org',
    ]);
    for (const d of ["object-src 'none'", "base-uri 'self'", "default-src 'self'", "form-action 'self'", "style-src 'self'"]) {
      assert.ok(policy.split('; ').includes(d), d);
    }
    assert.ok(!policy.includes('unsafe-inline') && !policy.includes("'unsafe-eval'"));
    assert.ok(!policy.includes('frame-ancestors'), 'a meta cannot carry frame-ancestors');
    assert.ok(computePolicy({ html: HTML, configText: config, header: true }).policy.endsWith("; frame-ancestors 'none'"));
  });

  test('config.json mistakes fall back to the defaults the app uses; connect_src adds origins', () => {
    assert.deepEqual(connectOrigins(null).origins, connectOrigins('{broken').origins);
    assert.equal(connectOrigins('{broken').warnings.length, 1);
    const bad = connectOrigins(JSON.stringify({ endpoints: { grip: 'javascript:alert(1)', spamhaus: 'https://u:p@evil.example' } }));
    assert.ok(bad.origins.includes('https://api.grip.inetintel.cc.gatech.edu') && bad.origins.includes('https://api.spamhaus.org'));
    assert.ok(!bad.origins.some((o) => o.includes('evil') || o.startsWith('javascript')));
    assert.equal(bad.warnings.length, 2);
    const extra = connectOrigins(JSON.stringify({ connect_src: ['http://127.0.0.1:8787', 'https://*.proxy.example.org/', "'unsafe-inline'", 'https://x.example/path?q'] }));
    assert.deepEqual(extra.origins.slice(4), ['http://127.0.0.1:8787', 'https://*.proxy.example.org']);
    assert.equal(extra.warnings.length, 2, 'a keyword or a URL with a path is refused, not copied into the policy');
  });

  test('the meta goes before every script, replaces an older one, and a dev-server build gets none', () => {
    const once = withPolicyMeta(HTML, "default-src 'self'");
    assert.ok(once.indexOf('Content-Security-Policy') < once.indexOf('<script'));
    assert.ok(once.indexOf('<meta charset') < once.indexOf('Content-Security-Policy'));
    const twice = withPolicyMeta(once, "default-src 'none'");
    assert.equal(twice.match(/Content-Security-Policy/g).length, 1);
    assert.match(twice, /content="default-src &#39;none&#39;"|content="default-src 'none'"/);
    assert.equal(withPolicyMeta(twice, null), HTML);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-csp-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.html'), HTML);
      fs.writeFileSync(path.join(dir, '404.html'), HTML);
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ connect_src: ['http://127.0.0.1:8787'] }));
      const policy = applyToDist(dir, { log: () => {} });
      assert.ok(policy.includes('http://127.0.0.1:8787'));
      for (const f of ['index.html', '404.html']) assert.equal(fs.readFileSync(path.join(dir, f), 'utf8'), withPolicyMeta(HTML, policy));
      const headers = fs.readFileSync(path.join(dir, '_headers'), 'utf8');
      assert.match(headers, /^\/\*\n {2}Content-Security-Policy: .*frame-ancestors 'none'\n {2}X-Content-Type-Options: nosniff\n {2}Referrer-Policy: no-referrer\n$/);
      assert.equal(applyToDist(dir, { log: () => {} }), policy, 'running it again changes nothing');
      const dev = HTML.replace('</body>', "<script>const u = '{{__TRUNK_ADDRESS__}}' + '.well-known/trunk/ws';</script></body>");
      fs.writeFileSync(path.join(dir, 'index.html'), withPolicyMeta(dev, policy));
      assert.equal(applyToDist(dir, { log: () => {} }), null);
      assert.ok(!fs.readFileSync(path.join(dir, 'index.html'), 'utf8').includes('Content-Security-Policy'));
      assert.ok(!fs.existsSync(path.join(dir, '_headers')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the mock as a static host', () => {
  let mock;
  let dist;
  before(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-dist-'));
    fs.writeFileSync(path.join(dist, 'index.html'), HTML);
    fs.writeFileSync(path.join(dist, '404.html'), HTML);
    fs.writeFileSync(path.join(dist, 'netlens.js'), 'export default 1;');
    mock = await startMock({ port: 0, dist, anchor: 1795392000 });
  });
  after(async () => {
    await mock.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const served = async (p) => {
    const r = await fetch(mock.urls.app + p);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(await r.text())?.[1];
    return { status: r.status, meta, header: r.headers.get('content-security-policy'), r };
  };

  test('the app pages carry the policy for the config.json it serves, in the page and the header', async () => {
    await fetch(`${mock.urls.app}/__mock/reset`, { method: 'POST' });
    for (const p of ['/', '/settings']) {
      const { status, meta, header, r } = await served(p);
      assert.equal(status, p === '/' ? 200 : 404);
      const connect = directive(meta, 'connect-src');
      for (const s of ['spoofer', 'grip', 'ioda', 'spamhaus']) assert.ok(connect.includes(new URL(mock.urls[s]).origin), s);
      assert.ok(!connect.some((o) => o.includes('caida.org') || o.includes('spamhaus.org')), 'the public services are not needed here');
      assert.deepEqual(directive(meta, 'script-src'), ["'self'", "'wasm-unsafe-eval'", sha(BOOT)]);
      assert.equal(header, `${meta}; frame-ancestors 'none'`);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    }
    const js = await fetch(`${mock.urls.app}/netlens.js`);
    assert.ok(js.headers.get('content-security-policy').includes('frame-ancestors'));
    assert.equal(await js.text(), 'export default 1;', 'only HTML is rewritten');
  });

  test('replacing config.json through the control API changes the policy with it', async () => {
    await fetch(`${mock.urls.app}/__mock/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoints: { spamhaus: 'http://127.0.0.1:9/spamhaus' }, connect_src: ['http://127.0.0.1:8787'] }),
    });
    const { meta } = await served('/');
    const connect = directive(meta, 'connect-src');
    assert.ok(connect.includes('http://127.0.0.1:9') && connect.includes('http://127.0.0.1:8787'));
    assert.ok(connect.includes('https://api.grip.inetintel.cc.gatech.edu'), 'sources the file leaves out use the public default');
    assert.ok(!connect.includes(new URL(mock.urls.spamhaus).origin));
    await fetch(`${mock.urls.app}/__mock/reset`, { method: 'POST' });
    assert.ok(directive((await served('/')).meta, 'connect-src').includes(new URL(mock.urls.spamhaus).origin));
  });
});
