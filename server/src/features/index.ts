/**
 * Editor features over an Analysis: pure functions from offsets to plain objects with
 * offsets. No LSP, no IO; the language server converts their results to LSP types.
 */
export { targetAt, citationAt, entryAt, entriesOf, citationsOf, type Target } from './cursor';
export { hover, type HoverResult, type HoverOptions, type EntryFormatter } from './hover';
export { complete, type CompletionEntry, type CompletionResult, type CompletionOptions } from './completion';
export { definition, type DefinitionResult, type EntryLocation } from './definition';
export { references, highlights, entriesAt, type Reference } from './references';
export { renameTarget, rename, type RenameTarget, type RenameError } from './rename';
export { documentSymbols, type SymbolNode } from './symbols';
export { codeLenses, type EntryLens } from './codeLens';
export { fixesFor, fixAllOfKind, fixAll, sortReferences, ignoreCitation, IGNORE_COMMENT, type Action, type ActionKind } from './codeActions';
export { documentStatus, type DocumentStatus } from './status';
export { detectStyle, parentheticalLabel, narrativeLabel, type CitationStyle } from './style';
