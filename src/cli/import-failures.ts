/**
 * Failure messages worded for `avvik import`. A failed declaration stores one message, which the
 * HTTP API returns unchanged, so its next step is written for an upload ("upload it again").
 * An operator importing a folder instead fixes or replaces the file in the folder and runs the
 * import again, so the import rewords that step when it shows the message.
 */

/** A stored next step and its import wording, most specific first, because later patterns match parts of earlier ones. */
const NEXT_STEPS: [RegExp, string][] = [
  [/,? and upload it again, or upload the Excel file\./g, ', or put the Excel file in its place, and run the import again.'],
  [/Upload the complete file again, or upload the Excel file\./g, 'Put the complete file, or the Excel file, in its place and run the import again.'],
  [/, or upload the Excel file\./g, ', or put the Excel file in its place, and run the import again.'],
  [
    /Upload a PDF exported from the original document, or the Excel file\./g,
    'Put a PDF exported from the original document, or the Excel file, in its place and run the import again.',
  ],
  [
    /Upload the declaration itself as \.xlsx or PDF, not an archive\./g,
    'Put the declaration itself, as .xlsx or PDF, in place of the archive and run the import again.',
  ],
  [/Upload the complete file again\./g, 'Put the complete file in its place and run the import again.'],
  [/Upload the (?:completed )?declaration again\./g, 'Put the completed declaration in its place and run the import again.'],
  [/ and send it again, or split the declaration into several files\./g, ', or split the declaration into several files, and run the import again.'],
  // processing-failed: an import retries such a declaration, as ingest and upload do.
  // A sentence's start comes first, so that "Ingest or upload" is replaced whole.
  [/\b(?:Ingest or upload|Ingest|Upload) the file again to retry\b/g, 'Run the import again to retry'],
  [/\b(?:ingest or upload|ingest|upload) the file again to retry\b/g, 'run the import again to retry'],
  // parser-error: an import does not process a failed declaration again, but ingest --retry-failed does.
  [/, and ingest it again after an update\./g, ', and after an update run `avvik ingest --retry-failed` on the file.'],
  [/\b(?:upload|send) (?:it|the file) again\b/g, 'run the import again'],
];

/** Rewords the next step of a stored failure message for an operator running `avvik import`. */
export function rewordForImport(message: string): string {
  let reworded = message;
  for (const [pattern, replacement] of NEXT_STEPS) reworded = reworded.replace(pattern, replacement);
  return reworded;
}
