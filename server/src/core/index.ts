/**
 * citecheck's core: the one API the language server, the CLI and the tests use.
 * Pure: no IO, no Node or VS Code imports; never throws on any input.
 */
export * from './types';
export { analyze, Analyzer, type Analysis, type AnalyzeOptions, type SeveritySetting } from './analyze';
export { CHECKS } from './checks';
export { LineIndex, type Position } from './text/lineIndex';
export { formatFromUri } from './syntax/prose';
export { fold } from './text/fold';
