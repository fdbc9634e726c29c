/**
 * The core, for tests, loaded from the server's build output.
 *
 * Why not `import { analyze } from '../../server/src/core'` directly: with project references
 * tsc type-checks that import against server/out/*.d.ts but emits the path unchanged, and the
 * compiled test lives one folder deeper (test/out/<dir>/x.js), so at run time the path points at
 * test/server/src/core, which does not exist. Here the types come from the source path (erased
 * at build) and the module from server/out, found from the repository root.
 */
import * as path from 'node:path';
import type * as Core from '../../server/src/core';
import { ROOT } from './paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const core: typeof Core = require(path.join(ROOT, 'server/out/core'));

export const analyze: typeof Core.analyze = core.analyze;
export const LineIndex: typeof Core.LineIndex = core.LineIndex;
export const CHECKS: typeof Core.CHECKS = core.CHECKS;
export const fold: typeof Core.fold = core.fold;
export const formatFromUri: typeof Core.formatFromUri = core.formatFromUri;
export type { Analysis, AnalyzeOptions, Citation, Diagnostic, DocumentFormat, ReferenceEntry, Resolution } from '../../server/src/core';
