#!/usr/bin/env node
/*
 * Verifies that yarn.lock holds every @backstage/* package at exactly one
 * version, that this version is the one the root package.json pins in
 * "resolutions" for the release named in backstage.json (so a package pulled
 * in without a pin is caught), and that better-sqlite3 is at least the given
 * major version.
 */
const fs = require('node:fs');
const path = require('node:path');

const MIN_BETTER_SQLITE3_MAJOR = 13;

function parseLockfile(text) {
  const versions = new Map();
  const entry =
    /^"?((?:@[^@/"]+\/)?[^@"]+)@[^\n]*:\n {2}version: "?([^"\n]+)"?$/gm;
  for (const match of text.matchAll(entry)) {
    const [, name, version] = match;
    if (!versions.has(name)) versions.set(name, new Set());
    versions.get(name).add(version);
  }
  return versions;
}

function main() {
  const repoRoot = path.resolve(__dirname, '..');
  const lockPath = path.join(repoRoot, 'yarn.lock');
  const versions = parseLockfile(fs.readFileSync(lockPath, 'utf8'));
  const release = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'backstage.json'), 'utf8'),
  ).version;
  const pins =
    JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
      .resolutions ?? {};
  const problems = [];

  let backstageCount = 0;
  for (const [name, set] of versions) {
    if (!name.startsWith('@backstage/')) continue;
    backstageCount += 1;
    if (set.size > 1) {
      problems.push(`${name} is resolved at ${[...set].join(', ')}`);
    } else if (pins[name] === undefined) {
      problems.push(`${name} ${[...set][0]} has no pin in "resolutions"`);
    } else if (pins[name] !== [...set][0]) {
      problems.push(
        `${name} is resolved at ${[...set][0]}, pinned at ${pins[name]}`,
      );
    }
  }

  const sqlite = [...(versions.get('better-sqlite3') ?? [])];
  if (sqlite.length === 0) {
    problems.push('better-sqlite3 is missing from yarn.lock');
  }
  for (const version of sqlite) {
    if (Number(version.split('.')[0]) < MIN_BETTER_SQLITE3_MAJOR) {
      problems.push(
        `better-sqlite3 ${version} is below ${MIN_BETTER_SQLITE3_MAJOR}: it aborts on Node >= 24.19`,
      );
    }
  }

  if (problems.length > 0) {
    console.error('yarn.lock check failed:');
    for (const problem of problems) console.error(`  - ${problem}`);
    console.error(
      'Fix: pin the package in the root package.json "resolutions" to the version of the release in backstage.json.',
    );
    process.exit(1);
  }
  console.log(
    `yarn.lock: ${backstageCount} @backstage/* packages, each at one version, the pinned one of Backstage ${release}; better-sqlite3 ${sqlite.join(
      ', ',
    )}`,
  );
}

main();
