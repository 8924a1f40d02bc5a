export { runTestFile } from './runner.js';
export type { RunOptions, FileResult, CaseResult } from './runner.js';
export { junitXml } from './junit.js';
