/** Recognition of formula error values, which the workbook reader gives as a cell's text. */

/**
 * The error values that Excel shows for a failed formula. The first seven are those of ECMA-376
 * (Office Open XML), and later Excel versions added the others, such as #SPILL! for dynamic arrays.
 */
const FORMULA_ERROR_VALUES = new Set([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
]);

/** Tells whether a cell text is a formula error value such as `#REF!` or `#N/A`. */
export function isFormulaError(text: string): boolean {
  return FORMULA_ERROR_VALUES.has(text.trim().toUpperCase());
}
