// Entry for running from source (tests, development): node --import tsx src/cli/run.ts <args>
import { runFromProcess } from './entry.js';

runFromProcess();
