#!/usr/bin/env node
// A committed entry point, so npm can link the binary at install time, before dist/ is built.
require('../dist/bin.js');
