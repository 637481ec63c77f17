/** Warnings about rows and cells of a malformed sheet that the reader left out or read as empty. */

import { MAX_CELL_CHARACTERS, MAX_LISTED_PLACES, type SheetAnomalies, type SheetPlaces } from './model.ts';
import type { ParseWarning } from './warnings.ts';

/** Returns one warning per kind of anomaly in the sheet, each naming the first places. */
export function describeSheetAnomalies(sheet: string, anomalies: SheetAnomalies): ParseWarning[] {
  const warnings: ParseWarning[] = [];
  const { duplicateRows, duplicateCells, missingSharedStrings, truncatedCells } = anomalies;
  const repeats = [
    { places: duplicateRows, kind: 'duplicate-row', noun: 'row', where: 'further down the file', copy: 'copy', copies: 'copies' },
    { places: duplicateCells, kind: 'duplicate-cell', noun: 'cell', where: 'in the same row', copy: 'value', copies: 'values' },
  ] as const;
  for (const { places, kind, noun, where, copy, copies } of repeats) {
    if (!places) continue;
    const [subject, these] = describeRepeats(places, noun);
    const leftOut = places.count === 1 ? `the later ${copy} was` : `${places.count} later ${copies} were`;
    warnings.push({
      kind,
      message: `Sheet '${sheet}': ${subject} again ${where}, so ${leftOut} left out. Check ${these} and save the file again.`,
    });
  }
  if (missingSharedStrings) {
    const message =
      missingSharedStrings.count === 1
        ? `cell ${missingSharedStrings.first[0]} refers to a shared string that the workbook does not contain, so it was read as empty`
        : `${missingSharedStrings.count} cells refer to shared strings that the workbook does not contain (${listPlaces(missingSharedStrings)}), so they were read as empty`;
    warnings.push({
      kind: 'missing-shared-string',
      message: `Sheet '${sheet}': ${message}. Save the file again in Excel or LibreOffice and send it again.`,
    });
  }
  if (truncatedCells) {
    const limit = MAX_CELL_CHARACTERS.toLocaleString('en');
    const message =
      truncatedCells.count === 1
        ? `cell ${truncatedCells.first[0]} holds more than ${limit} characters, the maximum that Excel allows in a cell, so only its first ${limit} were read`
        : `${truncatedCells.count} cells hold more than ${limit} characters, the maximum that Excel allows in a cell (${listPlaces(truncatedCells)}), so only the first ${limit} of each were read`;
    warnings.push({
      kind: 'truncated-cell',
      message: `Sheet '${sheet}': ${message}. Move long texts to an attachment and send the file again if the rest matters.`,
    });
  }
  return warnings;
}

/**
 * Returns the subject that names the repeated rows or cells with its verb, such as 'rows 4 and 9
 * occur', and the words that refer back to them, 'the row' or 'these rows'.
 */
function describeRepeats(places: SheetPlaces, noun: 'row' | 'cell'): [string, string] {
  if (places.first.length === 1) return [`${noun} ${places.first[0]} occurs`, `the ${noun}`];
  return [`${noun}s ${listPlaces(places)} occur`, `these ${noun}s`];
}

/** Lists the places that a warning names: 'C4 and C9', or 'C4, C9, C12, D3, D7 and others' when more were found. */
function listPlaces({ count, first }: SheetPlaces): string {
  if (first.length === MAX_LISTED_PLACES && count > first.length) return `${first.join(', ')} and others`;
  if (first.length === 1) return first[0]!;
  return `${first.slice(0, -1).join(', ')} and ${first.at(-1)}`;
}
