#!/usr/bin/env node
/*
 * Sets every @backstage/* dependency range in the workspace's package.json
 * files to "^<version>" of the release pinned in the root package.json
 * "resolutions" (the versions of the release named in backstage.json).
 * Usage: node scripts/align-backstage-versions.js [--check]
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pins = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
).resolutions;
const check = process.argv.includes('--check');

const manifests = ['package.json'];
for (const dir of ['packages', 'plugins']) {
  for (const name of fs.readdirSync(path.join(root, dir))) {
    const file = path.join(dir, name, 'package.json');
    if (fs.existsSync(path.join(root, file))) manifests.push(file);
  }
}

let changes = 0;
for (const file of manifests) {
  const json = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  for (const section of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
  ]) {
    for (const [name, range] of Object.entries(json[section] ?? {})) {
      if (!name.startsWith('@backstage/') || !pins[name]) continue;
      const wanted = `^${pins[name]}`;
      if (range !== wanted) {
        changes += 1;
        console.log(`${file}: ${name} ${range} -> ${wanted}`);
        json[section][name] = wanted;
      }
    }
  }
  if (!check) {
    fs.writeFileSync(
      path.join(root, file),
      `${JSON.stringify(json, null, 2)}\n`,
    );
  }
}
if (check && changes > 0) process.exit(1);
console.log(`${changes} ranges ${check ? 'differ' : 'aligned'}`);
