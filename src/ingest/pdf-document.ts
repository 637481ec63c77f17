/**
 * Opens a PDF with pdfjs-dist and reads, page by page, the positioned text items
 * and the thin horizontal and vertical strokes that draw table borders.
 * All coordinates are PDF points with the origin at the top left of the page,
 * so y grows downwards.
 */
import { getDocument, OPS, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

import { DeclarationFileError } from '../errors.ts';
import { checkPageContent, checkPageCount, PDF_LIMITS, PdfTextBudget, type PdfLimits } from './pdf-limits.ts';
import { measurePdfStreams, pageContentBytes, pageShownTextBytes, type PdfStreamSizes } from './pdf-streams.ts';

export interface PositionedText {
  text: string;
  /** Left edge of the first glyph. */
  x: number;
  /** Baseline, measured from the top of the page. */
  y: number;
  width: number;
  fontSize: number;
}

/** A straight border segment, from (x0, y0) to (x1, y1) with x0 <= x1 and y0 <= y1. */
export interface RuleSegment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageContent {
  /** 1-based page number. */
  page: number;
  height: number;
  texts: PositionedText[];
  horizontalRules: RuleSegment[];
  verticalRules: RuleSegment[];
}

type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Maximum thickness, in points, of a filled rectangle that is read as a border line. */
const MAX_RULE_THICKNESS = 2.5;
/** Minimum length, in points, of a border segment, so that bullets and dots are not read as borders. */
const MIN_RULE_LENGTH = 4;
/** PDF path operators as pdfjs-dist 5 encodes them in a constructPath operation. */
const PATH_MOVE_TO = 0;
const PATH_LINE_TO = 1;
const PATH_CURVE_TO = 2;
const PATH_CLOSE = 3;

/**
 * Opens the document and reads every page.
 * Raises DeclarationFileError for a truncated, damaged or password-protected file, and for a
 * document past one of `limits`. The sizes of the streams are checked before pdf.js opens the
 * file, and the page count before the first page. Each page's content, and the text that it
 * shows, are checked before pdf.js parses the page, and the text that pdf.js extracts as it does.
 */
export async function readPdfPages(bytes: Uint8Array, fileName: string, limits: PdfLimits = PDF_LIMITS): Promise<PageContent[]> {
  checkFileFrame(bytes, fileName);
  const streamSizes = measurePdfStreams(bytes, fileName, limits);
  const document = await openDocument(bytes, fileName);
  try {
    checkPageCount(fileName, document.numPages, limits);
    const budget = new PdfTextBudget(fileName, document.numPages, limits);
    const pages: PageContent[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      pages.push(await readPage(document, number, fileName, { budget, streamSizes, limits }));
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** Rejects files that are not a PDF at all or that end before the end-of-file marker. */
function checkFileFrame(bytes: Uint8Array, fileName: string): void {
  if (bytes.length === 0) {
    throw new DeclarationFileError(
      'empty-file',
      `The file ${fileName} is empty. Upload the declaration again.`,
    );
  }
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    throw new DeclarationFileError(
      'corrupt-file',
      `The file ${fileName} is not a valid PDF because it has no PDF header. ` +
        'Export the declaration to PDF again, or upload the Excel file.',
    );
  }
  // A PDF file ends with the %%EOF marker. Searching the last 4 KiB accepts files with some
  // trailing padding after it.
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 4096))).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new DeclarationFileError(
      'truncated-file',
      `The file ${fileName} is truncated: the PDF ends before its end-of-file marker. ` +
        'Upload the complete file again, or upload the Excel file.',
    );
  }
}

async function openDocument(bytes: Uint8Array, fileName: string): Promise<PDFDocumentProxy> {
  const task = getDocument({
    // getDocument takes ownership of a typed array (its documentation says so), so it gets a
    // copy and the caller keeps its bytes.
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: true,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    throw toFileError(error, fileName);
  }
}

function toFileError(error: unknown, fileName: string): DeclarationFileError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new DeclarationFileError(
      'encrypted-pdf',
      `The PDF ${fileName} is password-protected. ` +
        'Remove the password and upload it again, or upload the Excel file.',
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DeclarationFileError(
    'corrupt-file',
    `The PDF ${fileName} is damaged and cannot be read (${detail}). ` +
      'Export the declaration to PDF again, or upload the Excel file.',
    { cause: error },
  );
}

/** The budget, measured stream sizes and limits that readPage checks a page against. */
interface PageChecks {
  budget: PdfTextBudget;
  streamSizes: PdfStreamSizes;
  limits: PdfLimits;
}

async function readPage(
  document: PDFDocumentProxy,
  number: number,
  fileName: string,
  { budget, streamSizes, limits }: PageChecks,
): Promise<PageContent> {
  try {
    const page = await document.getPage(number);
    // getPage reads the page's dictionary only. Its content streams are parsed below.
    const contentBytes = page.ref ? pageContentBytes(streamSizes, page.ref.num) : 0;
    checkPageContent(fileName, number, document.numPages, contentBytes, limits);
    const overLimit = page.ref ? budget.addShownText(pageShownTextBytes(streamSizes, page.ref.num), number) : null;
    if (overLimit) throw overLimit;
    const [left, , , top] = page.view as [number, number, number, number];
    const toPage = (x: number, y: number): [number, number] => [x - left, top - y];
    const texts = await readTexts(page, number, toPage, budget);
    // Pages without text need no border analysis, which also spares decoding scanned images.
    // NOTE: PDF_LIMITS bounds the size of a page's content but not the paths and images in it,
    // so the drawing operations of a page are read whole and its images are decoded.
    const rules = texts.length > 0 ? await readRulesOrNone(page, toPage) : noRules();
    page.cleanup();
    return {
      page: number,
      height: top - (page.view[1] ?? 0),
      texts,
      horizontalRules: rules.horizontal,
      verticalRules: rules.vertical,
    };
  } catch (error) {
    if (error instanceof DeclarationFileError) throw error;
    throw toFileError(error, fileName);
  }
}

type ToPage = (x: number, y: number) => [number, number];

type TextContent = Awaited<ReturnType<PDFPageProxy['getTextContent']>>;

/**
 * Reads a page's text items in the chunks that pdf.js extracts them in, as getTextContent does,
 * and counts each in `budget`. A page with too much text is then rejected before pdf.js has
 * extracted all of it.
 */
async function readTexts(page: PDFPageProxy, number: number, toPage: ToPage, budget: PdfTextBudget): Promise<PositionedText[]> {
  const reader = (page.streamTextContent() as ReadableStream<TextContent>).getReader();
  const texts: PositionedText[] = [];
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    for (const item of chunk.value.items) {
      if (!('str' in item)) continue;
      const overLimit = budget.add(item.str, number);
      if (overLimit) {
        // Stops pdf.js extracting the rest of the page. pdf.js requires an Error as the reason.
        await reader.cancel(overLimit);
        throw overLimit;
      }
      const text = positionedText(item, toPage);
      if (text) texts.push(text);
    }
  }
  return texts;
}

type TextItem = Extract<TextContent['items'][number], { str: string }>;

/** Returns a text item's text and position, or null for white space and for rotated text. */
function positionedText(item: TextItem, toPage: ToPage): PositionedText | null {
  if (item.str.trim() === '') return null;
  const [a, b, c, d, e, f] = item.transform as Matrix;
  // NOTE: rotated and vertical text (for example a margin note turned 90 degrees) is skipped.
  if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01 || a <= 0) return null;
  const [x, y] = toPage(e, f);
  return { text: item.str, x, y, width: item.width, fontSize: Math.abs(d) || item.height };
}

function noRules(): { horizontal: RuleSegment[]; vertical: RuleSegment[] } {
  return { horizontal: [], vertical: [] };
}

/**
 * Reads the page's borders. Borders only help to find table cells, so a page whose drawing
 * operations fail to parse is read as text without borders rather than rejected.
 */
async function readRulesOrNone(
  page: PDFPageProxy,
  toPage: ToPage,
): Promise<{ horizontal: RuleSegment[]; vertical: RuleSegment[] }> {
  try {
    return await readRules(page, toPage);
  } catch {
    return noRules();
  }
}

async function readRules(
  page: PDFPageProxy,
  toPage: ToPage,
): Promise<{ horizontal: RuleSegment[]; vertical: RuleSegment[] }> {
  const operators = await page.getOperatorList();
  const horizontal: RuleSegment[] = [];
  const vertical: RuleSegment[] = [];
  const stack: Matrix[] = [];
  let matrix: Matrix = IDENTITY;

  const addRule = (segment: RuleSegment): void => {
    const width = segment.x1 - segment.x0;
    const height = segment.y1 - segment.y0;
    if (height <= MAX_RULE_THICKNESS && width >= MIN_RULE_LENGTH) {
      horizontal.push(segment);
    } else if (width <= MAX_RULE_THICKNESS && height >= MIN_RULE_LENGTH) {
      vertical.push(segment);
    }
  };

  for (let index = 0; index < operators.fnArray.length; index++) {
    const operator = operators.fnArray[index];
    const args = operators.argsArray[index] as unknown[];
    if (operator === OPS.save) {
      stack.push(matrix);
    } else if (operator === OPS.restore) {
      matrix = stack.pop() ?? IDENTITY;
    } else if (operator === OPS.transform) {
      matrix = multiply(Array.from(args as ArrayLike<number>) as Matrix, matrix);
    } else if (operator === OPS.paintFormXObjectBegin) {
      stack.push(matrix);
      const formMatrix = args[0] as ArrayLike<number> | null | undefined;
      if (formMatrix?.length === 6) {
        matrix = multiply(Array.from(formMatrix) as Matrix, matrix);
      }
    } else if (operator === OPS.paintFormXObjectEnd) {
      matrix = stack.pop() ?? IDENTITY;
    } else if (operator === OPS.constructPath) {
      for (const segment of pathRules(args, matrix, toPage)) {
        addRule(segment);
      }
    }
  }
  return { horizontal, vertical };
}

/** Returns the border candidates of one painted path: stroked straight lines and filled thin boxes. */
function pathRules(args: unknown[], matrix: Matrix, toPage: ToPage): RuleSegment[] {
  const [paintOperator, data] = args as [number, unknown[] | undefined];
  const path = data?.[0];
  if (paintOperator === OPS.endPath || !(path instanceof Float32Array)) {
    return [];
  }
  const subpaths = splitSubpaths(path, matrix, toPage);
  if (paintOperator === OPS.stroke || paintOperator === OPS.closeStroke) {
    return subpaths.flatMap(strokeSegments);
  }
  return subpaths.map(boundingBox);
}

type Point = [number, number];

function splitSubpaths(path: Float32Array, matrix: Matrix, toPage: ToPage): Point[][] {
  const subpaths: Point[][] = [];
  let current: Point[] = [];
  const map = (x: number, y: number): Point => {
    const [a, b, c, d, e, f] = matrix;
    return toPage(a * x + c * y + e, b * x + d * y + f);
  };
  for (let i = 0; i < path.length; ) {
    const code = path[i++];
    if (code === PATH_MOVE_TO) {
      if (current.length > 0) subpaths.push(current);
      current = [map(path[i++]!, path[i++]!)];
    } else if (code === PATH_LINE_TO) {
      current.push(map(path[i++]!, path[i++]!));
    } else if (code === PATH_CURVE_TO) {
      // A curve is not a border, so it ends the straight run and its end point starts a new one.
      i += 4;
      if (current.length > 0) subpaths.push(current);
      current = [map(path[i++]!, path[i++]!)];
    } else if (code === PATH_CLOSE) {
      if (current.length > 0) current.push(current[0]!);
    } else {
      break;
    }
  }
  if (current.length > 0) subpaths.push(current);
  return subpaths;
}

function strokeSegments(points: Point[]): RuleSegment[] {
  const segments: RuleSegment[] = [];
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    segments.push({
      x0: Math.min(ax, bx),
      y0: Math.min(ay, by),
      x1: Math.max(ax, bx),
      y1: Math.max(ay, by),
    });
  }
  return segments;
}

function boundingBox(points: Point[]): RuleSegment {
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const [x, y] of points) {
    box.x0 = Math.min(box.x0, x);
    box.y0 = Math.min(box.y0, y);
    box.x1 = Math.max(box.x1, x);
    box.y1 = Math.max(box.y1, y);
  }
  return box;
}

/** Returns the matrix that applies `first` and then `second`, in PDF's row-vector convention. */
function multiply(first: Matrix, second: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [
    a1 * a2 + b1 * c2,
    a1 * b2 + b1 * d2,
    c1 * a2 + d1 * c2,
    c1 * b2 + d1 * d2,
    e1 * a2 + f1 * c2 + e2,
    e1 * b2 + f1 * d2 + f2,
  ];
}
