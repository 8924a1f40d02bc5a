#!/usr/bin/env node
// Entry point installed as `vigil`. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { runFromProcess } from '../dist/app/main.js';

runFromProcess();
