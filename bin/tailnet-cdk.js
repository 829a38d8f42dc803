#!/usr/bin/env node
// Starts the CLI from the esbuild bundle (dist/cli.js, built by `npm run build`, which `npm ci` runs through
// `prepare`) when it is newer than every source file; otherwise from the TypeScript sources through tsx, so an
// edited checkout never runs stale code. The bundle keeps start-up close to node's own (issue 9).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return fs.statSync(bundle).mtimeMs >= Math.max(newestSource(path.join(root, 'src')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  } catch {
    return false;
  }
}

if (process.env.TAILNET_CDK_FROM_SOURCE !== '1' && bundleIsFresh()) {
  require(bundle);
} else {
  require('tsx/cjs');
  require('../src/cli/main.ts');
}
