#!/usr/bin/env node
/*
 * Measures the JavaScript of the Service Mesh tab in a production build of
 * packages/app: the minified code that webpack generated from the plugin's
 * own sources (plugins/istio/src and plugins/istio-common/src), found through
 * the build's source maps, gzipped. Prints one line per chunk holding our
 * code and the total, and exits 1 when the total is over the budget.
 *
 *   node scripts/bench/bundle-size.js            # measure packages/app/dist
 *   node scripts/bench/bundle-size.js --build    # build the app first
 *   BUNDLE_BUDGET_KB=200 (default)
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '../..');
const staticDir = path.join(root, 'packages/app/dist/static');
const budgetKb = Number(process.env.BUNDLE_BUDGET_KB ?? 200);
const OURS = /(^|\/)plugins\/istio(-common)?\/src\//;

function loadSourceMap() {
  for (const name of ['source-map-js', 'source-map']) {
    try {
      return require(require.resolve(name, { paths: [root] }));
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'source-map-js or source-map is needed (a dependency of the Backstage CLI)',
  );
}

function gzipKb(text) {
  return zlib.gzipSync(Buffer.from(text), { level: 9 }).length / 1024;
}

function ourCode(code, map, SourceMapConsumer) {
  const consumer = new SourceMapConsumer(map);
  const lines = code.split('\n');
  const segments = [];
  consumer.eachMapping(m => segments.push(m));
  segments.sort(
    (a, b) =>
      a.generatedLine - b.generatedLine ||
      a.generatedColumn - b.generatedColumn,
  );
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (!s.source || !OURS.test(s.source.replace(/\\/g, '/'))) continue;
    const next = segments[i + 1];
    const line = lines[s.generatedLine - 1] ?? '';
    const end =
      next && next.generatedLine === s.generatedLine
        ? next.generatedColumn
        : line.length;
    out += line.slice(s.generatedColumn, end);
  }
  return out;
}

function main() {
  if (process.argv.includes('--build')) {
    // The Backstage CLI of the repo, run by this Node (yarn may be a shell function)
    const cli = require.resolve('@backstage/cli/bin/backstage-cli', {
      paths: [root],
    });
    execFileSync(process.execPath, [cli, 'package', 'build'], {
      cwd: path.join(root, 'packages/app'),
      stdio: 'inherit',
    });
  }
  if (!fs.existsSync(staticDir)) {
    console.error(
      `No build at ${staticDir}: run "yarn workspace app build" first, or pass --build`,
    );
    process.exit(2);
  }
  const { SourceMapConsumer } = loadSourceMap();
  const chunks = [];
  for (const file of fs.readdirSync(staticDir)) {
    if (!file.endsWith('.js')) continue;
    const mapFile = path.join(staticDir, `${file}.map`);
    if (!fs.existsSync(mapFile)) continue;
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
    if (!(map.sources ?? []).some(s => OURS.test(s.replace(/\\/g, '/')))) {
      continue;
    }
    const code = fs.readFileSync(path.join(staticDir, file), 'utf8');
    const ours = ourCode(code, map, SourceMapConsumer);
    if (ours.length === 0) continue;
    chunks.push({
      file,
      kb: gzipKb(ours),
      wholeKb: gzipKb(code),
      share: ours.length / code.length,
    });
  }
  if (chunks.length === 0) {
    console.error(
      'No chunk of the build holds code of plugins/istio: is the build without source maps?',
    );
    process.exit(2);
  }
  chunks.sort((a, b) => b.kb - a.kb);
  for (const c of chunks) {
    console.log(
      `${c.file.padEnd(48)} ${c.kb.toFixed(1).padStart(7)} kB gzip (${(
        c.share * 100
      ).toFixed(0)} % of the chunk is ours)`,
    );
  }
  const total = chunks.reduce((sum, c) => sum + c.kb, 0);
  const whole = chunks.reduce((sum, c) => sum + c.wholeKb, 0);
  console.log(
    `chunks holding our code, whole (with what they share with the app): ${whole.toFixed(
      1,
    )} kB gzip`,
  );
  console.log(
    `istio tab JS (our chunks, gzip): ${total.toFixed(
      1,
    )} kB, budget ${budgetKb} kB`,
  );
  process.exit(total > budgetKb ? 1 : 0);
}

main();
