#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx's loader is registered first.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
await runCli(process.argv.slice(2), process.env);
