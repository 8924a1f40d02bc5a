export { runTestFile } from './runner.js';
export type { RunOptions, FileResult } from './runner.js';
