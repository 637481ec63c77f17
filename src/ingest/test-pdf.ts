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
}

/** Writes an A4 PDF whose page contents are compressed with FlateDecode, as office exports are. */
export function buildTextPdf(spec: TextPdfSpec): Buffer {
  const pageObject = (index: number) => 4 + 2 * index;
  const kids = Array.from({ length: spec.pages }, (_, index) => `${pageObject(index)} 0 R`).join(' ');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${spec.pages} >>`, 'latin1'),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1'),
  ];
  for (let page = 1; page <= spec.pages; page++) {
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> ` +
          `/Contents ${pageObject(page - 1) + 1} 0 R >>`,
        'latin1',
      ),
    );
    const lines: string[] = [];
    for (let line = 1; line <= spec.linesPerPage; line++) {
      const y = 800 - ((line - 1) % 75) * 10;
      lines.push(`BT /F1 10 Tf 40 ${y} Td (${escapePdfString(spec.line(page, line))}) Tj ET`);
    }
    const content = deflateSync(Buffer.from(lines.join('\n'), 'latin1'));
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
        content,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  }
  return writePdf(objects);
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
