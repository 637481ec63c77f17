#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs), or the TypeScript
// sources through tsx when dist/ is missing or older than any source file. tsx adds about 38 MB
// to every process, which matters most for workers.
import { builtIsCurrent } from './built.js';

if (process.env.AVVIK_FROM_SOURCE !== '1' && builtIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
