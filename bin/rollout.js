#!/usr/bin/env node
// The package bin runs the TypeScript sources directly: tsx is a runtime dependency.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
