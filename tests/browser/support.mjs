// What the browser scripts share: a free port, a service started on a
// SQLite file, checks counted, and a page looked at (screenshot + axe-core).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require('axe-core').source;
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const ARTEFACTS = path.join(ROOT, 'target', 'browser-artefacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const failures = [];
export function check(ok, what) {
  if (ok) {
    console.log(`  ok: ${what}`);
  } else {
    console.log(`  FAILED: ${what}`);
    failures.push(what);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** `secondments serve` on `dbUrl` with `env`; resolves once /health answers. */
export async function serve(binary, dbUrl, env, logName = 'server.log') {
  const port = await freePort();
  const log = fs.openSync(path.join(ARTEFACTS, logName), 'w');
  const server = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      SECONDMENTS_ENV: 'development',
      SECONDMENTS__SERVER__PORT: String(port),
      SECONDMENTS__DATABASE__URL: dbUrl,
      SECONDMENTS__MAIL__TRANSPORT: 'memory',
      SECONDMENTS__AUTH__AUTH_REQUESTS_PER_IP_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the service stopped; see ${ARTEFACTS}/${logName}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { server, base };
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service did not start within 60 s');
}

/** A screenshot of the page in the artefacts, and axe-core's verdict. */
export async function look(page, name) {
  await page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) console.log(`    axe ${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(' ')}`);
  check(bad.length === 0, `${name}: no serious or critical accessibility violation`);
}
