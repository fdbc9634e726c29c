/** Every check, in the order their diagnostics are listed. One file per check. */
import type { Check } from './check';
import { yearMismatch } from './yearMismatch';
import { authorMismatch } from './authorMismatch';
import { unresolvedCitation } from './unresolvedCitation';
import { ambiguousCitation } from './ambiguousCitation';
import { missingYearSuffix } from './missingYearSuffix';
import { uncitedReference } from './uncitedReference';
import { duplicateReference } from './duplicateReference';
import { referenceOrder } from './referenceOrder';
import { etAlMismatch } from './etAlMismatch';
import { unknownKey } from './unknownKey';
import { incompleteEntry } from './incompleteEntry';

export const CHECKS: readonly Check[] = [
  yearMismatch,
  authorMismatch,
  unresolvedCitation,
  ambiguousCitation,
  missingYearSuffix,
  uncitedReference,
  duplicateReference,
  referenceOrder,
  etAlMismatch,
  unknownKey,
  incompleteEntry,
];

export type { Check, CheckContext } from './check';
