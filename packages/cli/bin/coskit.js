#!/usr/bin/env node
// Committed entry point so npm can link the `coskit` bin at install time, before `prepare` builds dist/.
import { run } from '../dist/src/program.js';

process.exitCode = await run(process.argv);
