import { countAnswers, type AnswerCounts } from '../db/store-declaration.ts';
import { isDeclarationFileError, parserFault } from '../errors.ts';
import type { CoverFacts, ParseReport } from '../ingest/model.ts';
import { displayableFileName } from '../ingest/intake.ts';
import { parseDeclaration } from '../ingest/parse.ts';
import { formatCover, formatWarnings } from './format.ts';
import { describeReadError, readDeclarationFile } from './read-errors.ts';

export interface ParseSummary {
  file: string;
  status: 'parsed' | 'failed';
  error?: { code: string; message: string };
  format?: 'xlsx' | 'pdf';
  cover?: CoverFacts;
  requirements?: AnswerCounts;
  report?: ParseReport;
  milliseconds: number;
}

/** Parses files without storing anything, for trying the parser on new layouts. */
export async function parseFiles(files: string[], maxBytes: number): Promise<ParseSummary[]> {
  const summaries: ParseSummary[] = [];
  for (const file of files) summaries.push(await parseFile(file, maxBytes));
  return summaries;
}

async function parseFile(file: string, maxBytes: number): Promise<ParseSummary> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const read = await readDeclarationFile(file, maxBytes);
    if ('error' in read) return { file, status: 'failed', error: read.error, milliseconds: elapsed() };
    const { bytes } = read;
    const fileName = displayableFileName(file);
    const parsed = await parseDeclaration(bytes, fileName);
    return {
      file,
      status: 'parsed',
      format: parsed.format,
      cover: parsed.cover,
      requirements: countAnswers(parsed.rows),
      report: parsed.report,
      milliseconds: elapsed(),
    };
  } catch (error) {
    if (isDeclarationFileError(error)) {
      return { file, status: 'failed', error: { code: error.code, message: error.message }, milliseconds: elapsed() };
    }
    const readError = describeReadError(file, error);
    if (readError) return { file, status: 'failed', error: readError, milliseconds: elapsed() };
    // The same code and advice as ingest gives, and the other files are still parsed.
    const fault = parserFault(displayableFileName(file), error);
    return { file, status: 'failed', error: { code: fault.code, message: fault.message }, milliseconds: elapsed() };
  }
}

export function formatParseSummary(summary: ParseSummary): string {
  if (summary.error) return `${summary.file}: failed\n  error ${summary.error.code}: ${summary.error.message}`;
  const counts = summary.requirements!;
  const report = summary.report!;
  const lines = [
    `${summary.file}: ${summary.format} parsed in ${summary.milliseconds} ms`,
    ...formatCover(summary.cover!),
    `  requirements: ${counts.total} in all, ${counts.met} met, ${counts.notMet} not met, ${counts.partiallyMet} partially met, ` +
      `${counts.notApplicable} not applicable, ${counts.unanswered} unanswered`,
  ];
  for (const table of report.tables) {
    const where = table.headerRow.kind === 'sheet' ? `${table.headerRow.sheet}!${table.headerRow.row}` : `page ${table.headerRow.page} line ${table.headerRow.line}`;
    const columns = Object.entries(table.columns).map(([field, header]) => `${field}=${JSON.stringify(header)}`).join(', ');
    lines.push(`  table at ${where}: ${table.rows} rows; ${columns}`);
  }
  lines.push(`  skipped rows: ${report.skipped.length}`);
  lines.push(...formatWarnings(report.warnings));
  return lines.join('\n');
}
