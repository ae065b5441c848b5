#!/usr/bin/env node
/*
 * Adds the packed Istio plugins to a create-app app the way their READMEs say:
 *   - packages/app: the dependency `@ambient-mesh/plugin-istio` (discovered through
 *     `app.packages: all`, new frontend system)
 *   - packages/backend: `@ambient-mesh/plugin-istio-backend` and
 *     `@ambient-mesh/plugin-scaffolder-backend-module-istio`, each wired with
 *     `backend.add(import(...))` (new backend system)
 * Every @ambient-mesh/* package resolves to its packed tarball (root `resolutions`), so
 * the library packages they depend on come from the tarballs too.
 *
 * Usage: node scripts/adopter/add-plugins.js <app-dir> <dir-of-tarballs>
 */
const fs = require('node:fs');
const path = require('node:path');

const appDir = path.resolve(process.argv[2] ?? '');
const packDir = path.resolve(process.argv[3] ?? '');
if (!process.argv[3]) {
  console.error('usage: add-plugins.js <app-dir> <dir-of-tarballs>');
  process.exit(2);
}

// <dir>/<scope>-<name>.tgz, written by scripts/adopter.sh from each package.json name
const tarballs = {};
for (const file of fs.readdirSync(packDir)) {
  const match = /^ambient-mesh-(.+)\.tgz$/.exec(file);
  if (match) tarballs[`@ambient-mesh/${match[1]}`] = path.join(packDir, file);
}
const need = [
  '@ambient-mesh/plugin-istio',
  '@ambient-mesh/plugin-istio-backend',
  '@ambient-mesh/plugin-scaffolder-backend-module-istio',
];
for (const name of need) {
  if (!tarballs[name]) {
    console.error(`add-plugins: no tarball for ${name} in ${packDir}`);
    process.exit(1);
  }
}
const ref = name => `file:${tarballs[name]}`;

function edit(file, change) {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(manifest);
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

edit(path.join(appDir, 'package.json'), root => {
  root.resolutions = { ...root.resolutions };
  for (const name of Object.keys(tarballs)) root.resolutions[name] = ref(name);
});
edit(path.join(appDir, 'packages/app/package.json'), app => {
  app.dependencies['@ambient-mesh/plugin-istio'] = ref(
    '@ambient-mesh/plugin-istio',
  );
});
edit(path.join(appDir, 'packages/backend/package.json'), backend => {
  for (const name of need.slice(1)) backend.dependencies[name] = ref(name);
});

const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
const index = fs.readFileSync(indexFile, 'utf8');
const lines = [
  '',
  '// The Service Mesh view of catalog entities, and the istio:* scaffolder actions',
  "backend.add(import('@ambient-mesh/plugin-istio-backend'));",
  "backend.add(import('@ambient-mesh/plugin-scaffolder-backend-module-istio'));",
  '',
].join('\n');
if (!index.includes("'@ambient-mesh/plugin-istio-backend'")) {
  fs.writeFileSync(
    indexFile,
    index.replace(/^backend\.start\(\);/m, `${lines}\nbackend.start();`),
  );
}
console.log(
  `add-plugins: ${
    Object.keys(tarballs).length
  } tarballs resolved; frontend plugin and 2 backend features added`,
);
