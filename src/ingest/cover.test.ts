import { describe, expect, it } from 'vitest';
import { matchCoverLabel, readCoverFacts } from './cover.ts';
import { findImplausibleCoverDateReason, parseDateText } from './dates.ts';
import type { GridRow } from './model.ts';
import { WarningLog } from './warnings.ts';

function region(...cellRows: string[][]) {
  const rows: GridRow[] = cellRows.map((cells, index) => ({ cells, source: { kind: 'sheet', sheet: 'Info', row: index + 1 } }));
  return { rows, firstColumn: 0, exactLabels: false };
}

describe('organisation numbers', () => {
  it.each([
    ['556677-8899', '556677-8899'],
    ['5566778899', '556677-8899'],
    ['16556677-8899', '556677-8899'],
    ['165566778899', '556677-8899'],
    ['19850101-1234', '850101-1234'],
    ['200001011234', '000101-1234'],
    // Government agencies' numbers begin with 2, which must not be taken for a century.
    ['202100-5489', '202100-5489'],
    ['2021005489', '202100-5489'],
  ])('reads %j as %j', (written, stored) => {
    expect(readCoverFacts([region(['Organisationsnummer', written])]).organisationNumber).toBe(stored);
  });

  it('keeps a wrong check digit without a warning', () => {
    const warnings = new WarningLog();
    const cover = readCoverFacts([region(['Organisationsnummer', '5561234568'])], warnings);
    expect(cover.organisationNumber).toBe('556123-4568');
    expect(warnings.list()).toEqual([]);
  });
});

describe('matchCoverLabel', () => {
  it.each([
    ['Leverantör', ['supplier']],
    ['Vendor Name', ['supplier']],
    ['Org nr', ['organisationNumber']],
    ['Organisation number', ['organisationNumber']],
    ['Verksamhetssystem', ['system']],
    ['Systemversion', ['version']],
    ['Verksamhetssystem och version', ['system', 'version']],
    ['Kommun', ['municipality']],
    ['Datum för ifyllande', ['date']],
    ['Namn', ['contactName']],
    ['Vendor Contact Name', ['contactName']],
    ['Leverantörens kontaktperson', ['contactName']],
    ['Tel.', ['phone']],
    ['Mobil', ['phone']],
    ['Kontaktperson e-post', ['email']],
    ['E-mail', ['email']],
  ])('maps %j', (label, fields) => {
    expect(matchCoverLabel(label, false)).toEqual(fields);
  });

  it('rejects labels with other words', () => {
    expect(matchCoverLabel('Company Overview', false)).toBeNull();
    expect(matchCoverLabel('Ifylld av', false)).toBeNull();
    expect(matchCoverLabel('Product Description', false)).toBeNull();
  });

  it('requires whole labels when exact', () => {
    expect(matchCoverLabel('Kommun', true)).toEqual(['municipality']);
    expect(matchCoverLabel('Vendor Name', true)).toBeNull();
  });
});

describe('readCoverFacts', () => {
  it('keeps the first value per field', () => {
    const cover = readCoverFacts([region(['Leverantör', 'Första AB'], ['Leverantör', 'Andra AB'])]);
    expect(cover.supplier).toBe('Första AB');
  });

  it('rejects values that do not fit', () => {
    const cover = readCoverFacts([
      region(
        ['E-post', 'Kontakta er kundansvarige'],
        ['Telefon', 'se webbplatsen'],
        ['Kontaktperson', 'See GNRL-08 for contact details'],
        ['Datum', 'snart'],
      ),
    ]);
    expect(cover.contact).toEqual({ name: null, phone: null, email: null });
    expect(cover.date).toBeNull();
  });

  it('treats a neighbouring label as a missing value', () => {
    const cover = readCoverFacts([region(['Leverantör', 'Org.nr', '556677-8899'])]);
    expect(cover.supplier).toBeNull();
    expect(cover.organisationNumber).toBe('556677-8899');
  });

  it('reads a system without a version', () => {
    const cover = readCoverFacts([region(['Verksamhetssystem och version', 'Treserva'])]);
    expect(cover.system).toBe('Treserva');
    expect(cover.version).toBeNull();
  });

  it('ignores implausible dates with a warning', () => {
    const warnings = new WarningLog();
    const cover = readCoverFacts([region(['Datum', '9999-12-31'], ['Leverantör', 'Acme AB', 'Datum: 15.03.1999'])], warnings);
    expect(cover.date).toBeNull();
    expect(cover.supplier).toBe('Acme AB');
    const [future, past] = warnings.list();
    expect(future).toContain("'9999-12-31'");
    expect(future).toContain("sheet 'Info' cell B1");
    expect(future).toContain('one year from today');
    expect(past).toContain("'15.03.1999'");
    expect(past).toContain("sheet 'Info' cell C2");
    expect(past).toContain('before 2000-01-01');
  });

  it('warns about values that do not fit', () => {
    const warnings = new WarningLog();
    const longName = 'Leverantören '.repeat(20).trim();
    const cover = readCoverFacts(
      [region(['Datum', '2026-02-30'], ['Leverantör', longName], ['E-post', 'Kontakta er kundansvarige'], ['Rubrik', 'Datum', 'Åtgärd'])],
      warnings,
    );
    expect(cover.date).toBeNull();
    expect(cover.supplier).toBeNull();
    const [date, supplier, email, ...rest] = warnings.list();
    expect(date).toBe(
      "The cover date '2026-02-30' in sheet 'Info' cell B1 was ignored because it is not a date in a form Avvik reads, such as 2026-03-15, 15.03.2026 or 15 mars 2026.",
    );
    expect(supplier).toContain("The cover's supplier 'Leverantören Leverantören");
    expect(supplier).toContain('longer than 120 characters');
    // A contact detail is named but never quoted.
    expect(email).toBe("The cover's contact e-mail address in sheet 'Info' cell B3 was ignored because it holds no e-mail address.");
    // 'Åtgärd' beside a date label has no digit, so it is a column title rather than a bad date.
    expect(rest).toEqual([]);
  });

  it('takes a later plausible date', () => {
    const warnings = new WarningLog();
    const cover = readCoverFacts([region(['Datum', '9999-12-31'], ['Ifylld datum', '2024-03-15'], ['Datum', '1900-01-01'])], warnings);
    expect(cover.date).toBe('2024-03-15');
    expect(warnings.list()).toHaveLength(1);
  });

  it('normalises organisation numbers', () => {
    const cover = readCoverFacts([region(['Organisationsnummer', '5566778899'])]);
    expect(cover.organisationNumber).toBe('556677-8899');
  });
});

describe('findImplausibleCoverDateReason', () => {
  const today = new Date(Date.UTC(2026, 11, 4, 20, 0));

  it.each([
    ['2000-01-01', null],
    ['2024-03-15', null],
    ['2027-12-04', null],
    ['1999-12-31', 'it is before 2000-01-01'],
    ['2027-12-05', 'it is after 2027-12-04, one year from today'],
    ['9999-12-31', 'it is after 2027-12-04, one year from today'],
  ])('judges %j', (date, expected) => {
    expect(findImplausibleCoverDateReason(date, today)).toBe(expected);
  });

  it('counts a year from 29 February to 1 March', () => {
    const leapDay = new Date(Date.UTC(2028, 1, 29));
    expect(findImplausibleCoverDateReason('2029-03-01', leapDay)).toBeNull();
    expect(findImplausibleCoverDateReason('2029-03-02', leapDay)).toBe('it is after 2029-03-01, one year from today');
  });
});

describe('parseDateText', () => {
  it.each([
    ['2024-03-15', '2024-03-15'],
    ['2024/3/5', '2024-03-05'],
    ['20240315', '2024-03-15'],
    ['15/03/2024', '2024-03-15'],
    ['15.03.2024', '2024-03-15'],
    ['15 mars 2024', '2024-03-15'],
    ['March 15, 2024', '2024-03-15'],
    ['2024-02-30', null],
    ['vecka 12', null],
  ])('parses %j', (text, expected) => {
    expect(parseDateText(text)).toBe(expected);
  });
});
