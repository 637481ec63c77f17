// Declaration workbooks for the HTTP API tests: one supplier, system and municipality each,
// with rows that the rule set assigns to the supplier, to FK, to CSN and to the operations party.
import ExcelJS from 'exceljs';

export interface ApiDeclarationOptions {
  supplier: string;
  organisationNumber: string;
  system: string;
  municipality: string;
  contact: { name: string; phone: string; email: string };
  /** A word placed in every comment, so that free-text search can find this declaration's deviations. */
  marker: string;
}

/**
 * Builds a Swedish declaration workbook with a cover block and five requirements. The rule set
 * proposes the supplier for VS-1, FK for BT-1, CSN for BT-2 and the operations party for SS-1,
 * the four rows not met; VS-2 is met.
 */
export async function buildApiDeclaration(options: ApiDeclarationOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Självdeklaration SSBTEK']);
  sheet.addRow(['Leverantör', options.supplier]);
  sheet.addRow(['Organisationsnummer', options.organisationNumber]);
  sheet.addRow(['Verksamhetssystem', options.system]);
  sheet.addRow(['Version', '2.1']);
  sheet.addRow(['Kommun', options.municipality]);
  sheet.addRow(['Kontaktperson', options.contact.name]);
  sheet.addRow(['Telefon', options.contact.phone]);
  sheet.addRow(['E-post', options.contact.email]);
  sheet.addRow([]);

  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow([
    'VS-1',
    'Verksamhetssystem',
    // The contact's e-mail address and phone number in free text, which restricted callers must not read.
    `Systemet ska visa hämtade uppgifter i handläggarens vy (frågor på ${options.contact.phone}).`,
    'Nej',
    `Vi saknar stöd för detta i vårt system ännu (${options.marker}). Frågor till ${options.contact.email}.`,
  ]);
  sheet.addRow(['VS-2', 'Verksamhetssystem', 'Systemet ska logga varje förfrågan.', 'Ja', `Ring ${options.contact.phone} vid frågor.`]);

  sheet.addRow([
    'BT-1',
    'Bastjänster',
    'Uppgifter om bostadsbidrag från Försäkringskassan ska kunna hämtas.',
    'Nej',
    `Bostadsbidrag från FK saknas i svaret (${options.marker}).`,
  ]);
  sheet.addRow([
    'BT-2',
    'Bastjänster',
    'Uppgifter om studiemedel från CSN ska kunna hämtas.',
    'Nej',
    `Studiemedel från CSN visas inte (${options.marker}).`,
  ]);

  sheet.addRow([
    'SS-1',
    'SSBTEK',
    'Svarstiden för en förfrågan ska vara under fem sekunder.',
    'Nej',
    `Svarstiden överstiger ofta tio sekunder (${options.marker}).`,
  ]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
