// Entry for running from source (tests, development): node --import tsx src/app/run.ts <args>
import { runFromProcess } from './main.js';

runFromProcess();
