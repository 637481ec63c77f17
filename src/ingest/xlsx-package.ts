/**
 * Reads the cell texts of an .xlsx workbook straight from its package: the ZIP container
 * (unpacked with fflate), the workbook, its relationships, shared strings, number formats and
 * worksheets. Only what a grid needs is kept: sheet names and visibility, row numbers and
 * visibility, each cell's text and the merged ranges. This reads a declaration several times
 * faster and in a fraction of the memory that exceljs's full workbook model takes.
 */

import { unzipSync } from 'fflate';
import { DeclarationFileError } from '../errors.ts';
import { hasZipEndRecord, readZipEntryOriginalSize, ZIP64_MARKER } from './containers.ts';
import { MAX_REQUIREMENT_ROWS, MAX_WORKBOOK_ROWS } from './model.ts';
import { readNumberStyles } from './number-formats.ts';
import { scanXml, XmlScanner, type XmlSource } from './xml-scan.ts';
import {
  isTrue,
  MAX_SHARED_STRING_CHARACTERS,
  MAX_SHARED_STRINGS,
  readSharedStrings,
  readWorksheet,
  type SharedStringLimit,
  type SheetCells,
} from './xlsx-sheet.ts';
import { locateZipEntry, NOT_STREAMED, streamEntryText } from './zip-entry-stream.ts';

/** The largest unpacked size of one part that Avvik reads; a declaration's sheet is a few MB. */
export const MAX_PART_BYTES = 256 * 1024 * 1024;

const RELATIONSHIP_TYPES = {
  officeDocument: '/officeDocument',
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
  styles: '/styles',
  hyperlink: '/hyperlink',
};

/** The maximum that Avvik unpacks from one workbook, over every part it reads. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

/** Reads every worksheet of the workbook, in the workbook's order. */
export function readWorkbookCells(bytes: Uint8Array, fileName: string): SheetCells[] {
  const parts = new PackageParts(bytes, fileName);
  const read = <T>(path: string, reader: (source: XmlSource | null) => T): T => parts.read(path, reader);

  const rootRelations = read('_rels/.rels', (source) => relations(source, ''));
  const workbookPath = rootRelations.find((relation) => relation.type.endsWith(RELATIONSHIP_TYPES.officeDocument))?.target ?? 'xl/workbook.xml';
  if (!parts.has(workbookPath)) throw damaged(fileName, `the part ${workbookPath} is missing`);

  const workbookRelationsPath = relationsPathOf(workbookPath);
  const workbookRelations = read(workbookRelationsPath, (source) => relations(source, folderOf(workbookPath)));
  const relationTarget = (type: string) => workbookRelations.find((relation) => relation.type.endsWith(type))?.target;
  const workbook = read(workbookPath, (source) => readWorkbookPart(source!));
  const duplicateSheet = findDuplicate(workbook.sheets.map((sheet) => sheet.name));
  if (duplicateSheet) {
    const quoted = duplicateSheet.map((name) => `'${name}'`);
    throw damaged(fileName, describeDuplicate(`two sheets in ${workbookPath}`, quoted));
  }
  const sharedStringsPath = relationTarget(RELATIONSHIP_TYPES.sharedStrings) ?? 'xl/sharedStrings.xml';
  const sharedStrings = read(sharedStringsPath, (source) =>
    readSharedStrings(source, (limit) => sharedStringsTooLargeError(fileName, sharedStringsPath, limit)),
  );
  const stylesPath = relationTarget(RELATIONSHIP_TYPES.styles) ?? 'xl/styles.xml';
  const numberStyles = read(stylesPath, readNumberStyles);

  const sheets: SheetCells[] = [];
  let rowsWithValues = 0;
  const countRow = () => {
    rowsWithValues += 1;
    if (rowsWithValues > MAX_WORKBOOK_ROWS) throw tooManyRowsError(fileName);
  };
  for (const sheet of workbook.sheets) {
    const relation = workbookRelations.find((candidate) => candidate.id === sheet.relationId);
    if (!relation || !relation.type.endsWith(RELATIONSHIP_TYPES.worksheet) || !parts.has(relation.target)) continue;
    const hyperlinks = read(relationsPathOf(relation.target), (source) => relations(source, folderOf(relation.target)));
    const context = { sharedStrings, numberStyles, date1904: workbook.date1904, hyperlinks, countRow };
    sheets.push({
      name: sheet.name,
      hidden: sheet.state !== 'visible',
      ...read(relation.target, (source) => readWorksheet(source!, context)),
    });
  }
  return sheets;
}

/**
 * The parts of the package, unpacked one at a time when asked for, so that parts nothing refers
 * to are never unpacked. Part names compare without regard to case, as the package format requires.
 */
class PackageParts {
  private readonly sizes = new Map<string, PartEntry>();
  private unpacked = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileName: string,
  ) {
    if (!hasZipEndRecord(bytes)) {
      throw new DeclarationFileError(
        'truncated-file',
        `The workbook '${fileName}' is incomplete (the end of its ZIP directory is missing). ` +
          'The upload or download was probably interrupted. Upload the complete file again.',
      );
    }
    const names: string[] = [];
    try {
      // The filter is called for every entry of the central directory, in order, and unpacks none.
      unzipSync(bytes, {
        filter: (file) => {
          this.sizes.set(file.name.toLowerCase(), { name: file.name, size: file.originalSize, index: names.length });
          names.push(file.name);
          return false;
        },
      });
    } catch (error) {
      throw damaged(fileName, (error as Error).message, error);
    }
    // Two entries of one name leave open which of them is the part.
    const duplicate = findDuplicate(names);
    if (duplicate) throw damaged(fileName, describeDuplicate('two ZIP entries', duplicate));
  }

  has(path: string): boolean {
    return this.sizes.has(path.toLowerCase());
  }

  /**
   * Unpacks one part and passes its XML to `reader`, or passes null when the package has no
   * such part. The part is unpacked, decoded and scanned in pieces where streamEntryText can
   * unpack it as unzipSync would, and whole otherwise. Throws a damaged-file error when the part
   * cannot be unpacked or when `reader` throws, as on markup that the scanner cannot follow. A
   * DeclarationFileError from `reader`, such as one for too many rows, is thrown unchanged.
   */
  read<T>(path: string, reader: (source: XmlSource | null) => T): T {
    const entry = this.sizes.get(path.toLowerCase());
    const readXml = (source: XmlSource | null): T => {
      try {
        return reader(source);
      } catch (error) {
        if (error === NOT_STREAMED || error instanceof DeclarationFileError) throw error;
        throw damaged(this.fileName, `the part ${path} is not well-formed XML: ${(error as Error).message}`, error);
      }
    };
    if (!entry) return readXml(null);
    this.unpacked += entry.size;
    if (entry.size > MAX_PART_BYTES || this.unpacked > MAX_UNPACKED_BYTES) throw this.tooLarge(entry);

    const location = locateZipEntry(this.bytes, entry.index);
    if (location) {
      try {
        return readXml((handler) => {
          const scanner = new XmlScanner(handler);
          if (streamEntryText(this.bytes, location, (text) => scanner.push(text)) === NOT_STREAMED) throw NOT_STREAMED;
          scanner.end();
        });
      } catch (error) {
        // The reader starts again from the whole part, whose unpacking repeats unzipSync's result or error.
        if (error !== NOT_STREAMED) throw error;
      }
    }
    const text = this.unpackWhole(entry);
    return readXml(text === null ? null : (handler) => scanXml(text, handler));
  }

  /** Unpacks one part with unzipSync and decodes its text, or returns null when fflate finds no such entry. */
  private unpackWhole(entry: PartEntry): string | null {
    let part: Uint8Array | undefined;
    try {
      part = unzipSync(this.bytes, { filter: (file) => file.name === entry.name })[entry.name];
    } catch (error) {
      throw damaged(this.fileName, `the part ${entry.name} cannot be unpacked: ${(error as Error).message}`, error);
    }
    return part ? decodeText(part) : null;
  }

  /**
   * Builds the error for a part beyond a limit. In an archive without a ZIP64 end record,
   * fflate 0.8 gives a ZIP64 part's size as the 32-bit field's 0xFFFFFFFF, so the message takes
   * the real size from the part's ZIP64 extra field.
   */
  private tooLarge(entry: PartEntry): DeclarationFileError {
    let unpackedSize = `${Math.round(entry.size / 1e6)} MB`;
    if (entry.size === ZIP64_MARKER) {
      const zip64Size = readZipEntryOriginalSize(this.bytes, entry.index);
      if (zip64Size !== null && zip64Size < ZIP64_MARKER) {
        // fflate would still unpack up to 4 GiB for this part, so its smaller ZIP64 size cannot be relied on.
        return damaged(this.fileName, `the ZIP entry ${entry.name} gives its size only in a ZIP64 field, although the archive has no ZIP64 end record`);
      }
      unpackedSize = zip64Size === null ? '4 GiB or more' : `${Math.round(zip64Size / 1e6)} MB`;
    }
    const limit = entry.size > MAX_PART_BYTES ? `${MAX_PART_BYTES / 1024 / 1024} MiB from one part` : `${MAX_UNPACKED_BYTES / 1024 / 1024} MiB from one workbook`;
    return new DeclarationFileError(
      'file-too-large',
      `The workbook '${this.fileName}' contains the part ${entry.name}, which unpacks to ${unpackedSize}, ` +
        `beyond the ${limit} that Avvik reads. Remove unused sheets or very long cells, save it again and upload it again.`,
    );
  }
}

/** A ZIP entry as fflate lists it: its name, its unpacked size and its position in the central directory. */
interface PartEntry {
  name: string;
  size: number;
  index: number;
}

/** Decodes a part as UTF-16 when it starts with a UTF-16 byte-order mark, else as UTF-8. */
function decodeText(part: Uint8Array): string {
  if (part[0] === 0xff && part[1] === 0xfe) return new TextDecoder('utf-16le').decode(part);
  if (part[0] === 0xfe && part[1] === 0xff) return new TextDecoder('utf-16be').decode(part);
  return new TextDecoder().decode(part);
}

/**
 * Returns the first two names that are equal without regard to case, or null. Part names
 * compare this way in a package, and Excel does not allow two sheet names that differ only in case.
 */
function findDuplicate(names: readonly string[]): [string, string] | null {
  const seen = new Map<string, string>();
  for (const name of names) {
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) return [earlier, name];
    seen.set(name.toLowerCase(), name);
  }
  return null;
}

/** Describes two names that are equal without regard to case, for a damaged-file message. */
function describeDuplicate(subject: string, [first, second]: readonly string[]): string {
  if (first === second) return `${subject} have the name ${first}`;
  return `${subject} have the names ${first} and ${second}, which differ only in case`;
}

function tooManyRowsError(fileName: string): DeclarationFileError {
  return new DeclarationFileError(
    'too-many-requirements',
    `The workbook '${fileName}' contains more than ${MAX_WORKBOOK_ROWS.toLocaleString('en')} rows with values, so Avvik ` +
      `stopped reading it: a declaration may contain at most ${MAX_REQUIREMENT_ROWS.toLocaleString('en')} requirement rows. ` +
      'Remove the rows and sheets that are not part of the declaration, or split it into files of at most ' +
      `${MAX_REQUIREMENT_ROWS.toLocaleString('en')} requirements, and upload it again.`,
  );
}

function sharedStringsTooLargeError(fileName: string, path: string, limit: SharedStringLimit): DeclarationFileError {
  const content =
    limit === 'strings'
      ? `${MAX_SHARED_STRINGS.toLocaleString('en')} texts`
      : `${MAX_SHARED_STRING_CHARACTERS.toLocaleString('en')} characters of text`;
  return new DeclarationFileError(
    'file-too-large',
    `The workbook '${fileName}' contains more than ${content} in its shared-string table ${path}, ` +
      'more than Avvik reads from one workbook, so Avvik stopped reading it. Remove the rows, sheets and texts that ' +
      'are not part of the declaration, or split it into several files, save it in Excel and upload it again.',
  );
}

function damaged(fileName: string, reason: string, cause?: unknown): DeclarationFileError {
  return new DeclarationFileError(
    'corrupt-file',
    `The workbook '${fileName}' is damaged and cannot be read (${reason}). ` +
      'Open it in Excel, save it again as .xlsx and upload it again.',
    cause === undefined ? undefined : { cause },
  );
}

export interface Relation {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** Reads a relationships part; targets inside the package are resolved against `folder`. */
function relations(source: XmlSource | null, folder: string): Relation[] {
  if (source === null) return [];
  const found: Relation[] = [];
  source({
    open(name, attributes) {
      if (name !== 'Relationship' || !attributes.Id || !attributes.Target) return;
      const external = attributes.TargetMode === 'External';
      found.push({
        id: attributes.Id,
        type: attributes.Type ?? '',
        target: external ? attributes.Target : resolvePath(folder, attributes.Target),
        external,
      });
    },
  });
  return found;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

function relationsPathOf(path: string): string {
  return `${folderOf(path)}_rels/${path.slice(folderOf(path).length)}.rels`;
}

function resolvePath(folder: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : folder + target).split('/');
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.' && segment !== '') resolved.push(segment);
  }
  return resolved.join('/');
}

interface WorkbookPart {
  date1904: boolean;
  sheets: { name: string; state: string; relationId: string }[];
}

function readWorkbookPart(source: XmlSource): WorkbookPart {
  const workbook: WorkbookPart = { date1904: false, sheets: [] };
  source({
    open(name, attributes) {
      if (name === 'workbookPr') workbook.date1904 = isTrue(attributes.date1904);
      if (name === 'sheet') {
        workbook.sheets.push({ name: attributes.name ?? '', state: attributes.state ?? 'visible', relationId: attributes.id ?? '' });
      }
    },
  });
  return workbook;
}
