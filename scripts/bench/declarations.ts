/**
 * Generated Swedish self-declarations for the benchmark: a cover block above one requirement
 * table, with about 15% of the requirements answered not met or partly met, each with a comment.
 * A seed makes every workbook, and so every run, the same.
 */

import ExcelJS from 'exceljs';

/** Returns a deterministic pseudo-random generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const AREAS = [
  'Verksamhetssystem',
  'Bastjänst Skatteverket',
  'Bastjänst Försäkringskassan',
  'Bastjänst CSN',
  'Bastjänst Arbetsförmedlingen',
  'SSBTEK',
  'Informationssäkerhet',
  'Loggning och spårbarhet',
] as const;

const SUBJECTS = [
  'handläggarens vy',
  'ärendets översikt',
  'beslutsunderlaget',
  'sökningen på personnummer',
  'utskriften av svaret',
  'behörighetskontrollen',
  'loggen över uppslag',
  'felmeddelandet till handläggaren',
] as const;

const REQUIREMENTS = [
  'Systemet ska visa uppgifter om inkomst från {subject} utan att handläggaren behöver logga in på nytt.',
  'Systemet ska logga varje uppslag med handläggarens identitet, tidpunkt och ärendenummer i {subject}.',
  'Systemet ska bara visa uppgifter som handläggaren har behörighet till och dölja övriga uppgifter i {subject}.',
  'Systemet ska visa när en bastjänst inte svarar och ange vilken myndighet som berörs i {subject}.',
  'Systemet ska hämta uppgifter om bostadsbidrag och underhållsstöd och presentera dem i {subject}.',
  'Systemet ska spara det hämtade svaret tillsammans med ärendet så att beslutet kan följas upp via {subject}.',
  'Systemet ska kunna hämta uppgifter för flera personer i samma hushåll i ett uppslag från {subject}.',
  'Systemet ska markera uppgifter som är skyddade enligt offentlighets- och sekretesslagen i {subject}.',
] as const;

const NOT_MET_COMMENTS = [
  'Funktionen saknas i nuvarande version och planeras till nästa release under hösten.',
  'Vi visar uppgifterna men loggar inte ärendenumret. Se bilaga skärmdump-{n}.png.',
  'Stödet finns för Skatteverket men inte för Försäkringskassan ännu.',
  'Felmeddelandet är generellt och anger inte vilken bastjänst som inte svarar.',
  'Behörigheten styrs per kommun men inte per handläggare i dagsläget.',
] as const;

const PARTLY_MET_COMMENTS = [
  'Uppfylls delvis: uppgifterna visas men kräver ett extra klick i ärendet.',
  'Loggning sker men sparas bara i 90 dagar, vilket är kortare än kravet.',
  'Gäller endast för nya ärenden; äldre ärenden saknar stödet. Logg bifogas som logg-{n}.txt.',
  'Skyddade uppgifter markeras i listvyn men inte i utskriften.',
] as const;

export interface DeclarationSpec {
  requirements: number;
  seed: number;
}

/** The answer of one generated row and its comment, drawn with the fixed shares below. */
function drawAnswer(random: () => number, index: number): { answer: string; comment: string } {
  const draw = random();
  const fill = (text: string) => text.replace('{n}', String(index));
  if (draw < 0.09) return { answer: 'Nej', comment: fill(pick(random, NOT_MET_COMMENTS)) };
  if (draw < 0.15) return { answer: 'Delvis', comment: fill(pick(random, PARTLY_MET_COMMENTS)) };
  if (draw < 0.2) return { answer: 'Ej tillämpligt', comment: '' };
  if (draw < 0.25) return { answer: 'Ja', comment: 'Se användarmanualen, avsnitt 4.' };
  return { answer: 'Ja', comment: '' };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Builds one declaration workbook as .xlsx bytes. */
export async function buildDeclaration(spec: DeclarationSpec): Promise<Buffer> {
  const random = seededRandom(spec.seed);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Självdeklaration');
  const supplierNumber = 1 + (spec.seed % 40);
  sheet.addRow(['Självdeklaration SSBTEK']);
  sheet.addRow(['Leverantör', `Leverantör ${supplierNumber} AB`]);
  sheet.addRow(['Organisationsnummer', `5561${String(supplierNumber).padStart(2, '0')}-${1000 + supplierNumber}`]);
  sheet.addRow(['Verksamhetssystem', `Ekonomiskt bistånd ${1 + (spec.seed % 3)}`]);
  sheet.addRow(['Version', `${4 + (spec.seed % 3)}.${spec.seed % 10}`]);
  sheet.addRow(['Kommun', `Kommun nummer ${spec.seed}`]);
  sheet.addRow(['Datum', new Date(Date.UTC(2026, spec.seed % 12, 1 + (spec.seed % 28)))]);
  sheet.addRow(['Kontaktperson', 'Eva Lindqvist']);
  sheet.addRow(['Telefon', '010-123 45 67']);
  sheet.addRow(['E-post', 'eva.lindqvist@leverantor.example']);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  for (let index = 1; index <= spec.requirements; index++) {
    const area = pick(random, AREAS);
    const text = pick(random, REQUIREMENTS).replace('{subject}', pick(random, SUBJECTS));
    const { answer, comment } = drawAnswer(random, index);
    sheet.addRow([`SSB-${String(index).padStart(3, '0')}`, area, text, answer, comment]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Draws the sizes of typical declarations: log-uniform between 30 and 300 requirements, so that
 * small declarations are as common as large ones on a logarithmic scale.
 */
export function typicalSizes(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Math.round(30 * Math.pow(10, random())));
}
