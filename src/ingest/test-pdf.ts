/**
 * Test support: writes small text PDFs in memory, so that tests of the PDF limits can build
 * documents of any page count or text length without committing large files.
 */

import { deflateSync } from 'node:zlib';

export interface TextPdfSpec {
  pages: number;
  /** Lines of text on each page, written top down in 10-point Helvetica. */
  linesPerPage: number;
  /** Returns the text of a line, from page 1 and line 1. */
  line: (page: number, line: number) => string;
  /** Content streams that a page's lines are split over, as /Contents lists them. 1 when not given. */
  contentStreams?: number;
  /** A grey image drawn on every page, below the text, as one FlateDecode image XObject shared by all pages. */
  image?: { width: number; height: number };
}

/** Writes an A4 PDF whose page contents are compressed with FlateDecode, as office exports are. */
export function buildTextPdf(spec: TextPdfSpec): Buffer {
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from('', 'latin1'),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1'),
  ];
  const streamCount = spec.contentStreams ?? 1;
  // Objects 1 to 3 are the catalog, the page tree and the font, and the image follows them.
  const imageObject = spec.image ? 4 : 0;
  if (spec.image) {
    const { width, height } = spec.image;
    objects.push(
      flateStream(
        `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8`,
        Buffer.alloc(width * height, 0x80),
      ),
    );
  }
  const firstPageObject = objects.length + 1;
  const pageObject = (index: number) => firstPageObject + (1 + streamCount) * index;
  const kids = Array.from({ length: spec.pages }, (_, index) => `${pageObject(index)} 0 R`).join(' ');
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${spec.pages} >>`, 'latin1');
  for (let page = 1; page <= spec.pages; page++) {
    const contents = Array.from({ length: streamCount }, (_, index) => `${pageObject(page - 1) + 1 + index} 0 R`).join(' ');
    const images = spec.image ? ` /XObject << /Im1 ${imageObject} 0 R >>` : '';
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>${images} >> ` +
          `/Contents [${contents}] >>`,
        'latin1',
      ),
    );
    const lines: string[] = spec.image ? ['q 500 0 0 700 40 60 cm /Im1 Do Q'] : [];
    for (let line = 1; line <= spec.linesPerPage; line++) {
      const y = 800 - ((line - 1) % 75) * 10;
      lines.push(`BT /F1 10 Tf 40 ${y} Td (${escapePdfString(spec.line(page, line))}) Tj ET`);
    }
    const perStream = Math.ceil(lines.length / streamCount);
    for (let index = 0; index < streamCount; index++) {
      const part = lines.slice(index * perStream, (index + 1) * perStream).join('\n');
      objects.push(flateStream('', Buffer.from(`${part}\n`, 'latin1')));
    }
  }
  return writePdf(objects);
}

function flateStream(entries: string, data: Buffer): Buffer {
  const compressed = deflateSync(data);
  return Buffer.concat([
    Buffer.from(`<< ${entries} /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
    compressed,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (character) => `\\${character}`);
}

/** Joins numbered objects, a cross-reference table and a trailer into a PDF file. */
function writePdf(objects: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(offset);
    const object = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(object);
    offset += object.length;
  }
  const table = offsets.map((position) => `${String(position).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${table}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

/**
 * Writes a one-page PDF 1.5 whose page object is stored in an object stream and whose
 * cross-reference table is a stream. Each line of the page gets a content stream of its own.
 */
export function buildObjectStreamPdf(lines: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n', 'latin1')];
  const offsets = new Map<number, number>();
  let offset = parts[0]!.length;
  const addObject = (number: number, body: Buffer) => {
    const object = Buffer.concat([Buffer.from(`${number} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.set(number, offset);
    parts.push(object);
    offset += object.length;
  };

  const pageObject = 4 + lines.length + 1;
  addObject(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'));
  addObject(2, Buffer.from(`<< /Type /Pages /Kids [${pageObject} 0 R] /Count 1 >>`, 'latin1'));
  addObject(3, Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1'));
  const contents: string[] = [];
  for (const [index, line] of lines.entries()) {
    const content = `BT /F1 10 Tf 40 ${800 - index * 10} Td (${escapePdfString(line)}) Tj ET\n`;
    addObject(4 + index, flateStream('', Buffer.from(content, 'latin1')));
    contents.push(`${4 + index} 0 R`);
  }
  const page =
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> ' +
    `/Contents [${contents.join(' ')}] >>`;
  const objectStream = pageObject - 1;
  const header = `${pageObject} 0 `;
  addObject(objectStream, flateStream(`/Type /ObjStm /N 1 /First ${header.length}`, Buffer.from(header + page, 'latin1')));

  // Each entry is a type byte, a 4-byte offset or object stream number, and a 2-byte index.
  const xrefObject = pageObject + 1;
  const xrefOffset = offset;
  const entries: Buffer[] = [];
  for (let number = 0; number <= xrefObject; number++) {
    const entry = Buffer.alloc(7);
    if (number === pageObject) {
      entry[0] = 2;
      entry.writeUInt32BE(objectStream, 1);
    } else if (number === xrefObject) {
      entry[0] = 1;
      entry.writeUInt32BE(xrefOffset, 1);
    } else if (offsets.has(number)) {
      entry[0] = 1;
      entry.writeUInt32BE(offsets.get(number)!, 1);
    }
    entries.push(entry);
  }
  addObject(xrefObject, flateStream(`/Type /XRef /Size ${xrefObject + 1} /W [1 4 2] /Root 1 0 R`, Buffer.concat(entries)));
  parts.push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
