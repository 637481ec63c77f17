import ExcelJS from 'exceljs';

export interface GeneratedWorkbookOptions {
  requirements: number;
  /** Every n-th row is Nej (not met); the others are Ja. */
  notMetEvery: number;
  supplier?: string;
  organisationNumber?: string;
  system?: string;
  /** The cover's date, as YYYY-MM-DD; none by default. */
  date?: string;
}

/** Builds a plain Swedish declaration workbook: a cover block above one requirement table. */
export async function buildDeclarationWorkbook(options: GeneratedWorkbookOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Självdeklaration SSBTEK']);
  sheet.addRow(['Leverantör', options.supplier ?? 'Testleverantören AB']);
  sheet.addRow(['Organisationsnummer', options.organisationNumber ?? '556000-0001']);
  sheet.addRow(['Verksamhetssystem', options.system ?? 'Testsystemet']);
  sheet.addRow(['Version', '1.0']);
  if (options.date) sheet.addRow(['Datum', options.date]);
  sheet.addRow(['Kommun', 'Provstad kommun']);
  sheet.addRow(['Kontaktperson', 'Kim Testare']);
  sheet.addRow(['Telefon', '070-000 00 00']);
  sheet.addRow(['E-post', 'kim.testare@example.se']);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  for (let index = 1; index <= options.requirements; index++) {
    const notMet = index % options.notMetEvery === 0;
    sheet.addRow([
      `K-${index}`,
      'Verksamhetssystem',
      `Systemet ska hantera uppgift nummer ${index} från SSBTEK i handläggarens vy.`,
      notMet ? 'Nej' : 'Ja',
      notMet ? `Vårt system saknar stöd för uppgift ${index}.` : '',
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
