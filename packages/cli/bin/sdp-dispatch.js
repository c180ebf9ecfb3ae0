#!/usr/bin/env node
// The command lives in dist/ (built); this file exists before the build, so installing a fresh clone links the bin.
import '../dist/cli.js';
