#!/usr/bin/env node
// The CLI is TypeScript run through tsx's require hook, so the repo needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
