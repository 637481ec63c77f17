import { describe, expect, it } from 'vitest';
import { contactText, maskContactDetails, maskContactValue, MASKED_CONTACT, organisationNumberText, partyCodeText } from './contact-text.ts';

describe('maskContactDetails', () => {
  it('masks e-mail addresses', () => {
    expect(maskContactDetails('Skriv till berit.bsson@example.se eller åsa+krav@kommun.example.')).toBe(
      `Skriv till ${MASKED_CONTACT} eller ${MASKED_CONTACT}.`,
    );
    expect(maskContactDetails('Skriv till anna @ example.se.')).toBe(`Skriv till ${MASKED_CONTACT}.`);
  });

  it('masks phone numbers as people write them', () => {
    const phones = [
      '070-222 22 22', '0702222222', '08-123 456 78', '08/123 45 67', '+46 70 222 22 22', '+46 (0)8 123 45 67', '0046-70-2222222',
      '(08) 123 45 67', '031.123.45.67', '070\u2013123 45 67', '070 - 123 45 67', '070\u2011123 45 67', '+1 (555) 123-4567',
    ];
    for (const phone of phones) {
      expect(maskContactDetails(`Ring ${phone} i dag.`), phone).toBe(`Ring ${MASKED_CONTACT} i dag.`);
    }
  });

  it('keeps numbers that are not phone numbers', () => {
    const texts = [
      'Organisationsnummer 556123-4567', 'Sedan 2026-03-02', 'Se krav SSB-006 och 0.5 sekunder', 'Version 4.2.1', 'Bilaga 12',
      'Kostnad 120 000 kr', 'Sedan 05.03.2025', 'Från 01/02/2026', 'Öppet 08.00-17.00',
      'Deklaration fd2067c0-0202-4615-8a2b-0701234567ab', 'Avvikelse 00000000-0000-4000-8000-000000000000',
      'Fil 0712345678abcdef0712345678abcdef',
      'Driftstopp 05.03.2025 - 07.03.2025 och 05.03.2025-07.03.2025.', 'Öppet 08.00-12.00 13.00-17.00.',
      'Datum 05.03.2025 08.00-17.00.', 'Tider 07.00\u201419.00', 'Möte 05.03.2025 10.00-11.00', 'Period 2025-03-05 - 2025-03-07',
    ];
    for (const text of texts) {
      expect(maskContactDetails(text), text).toBe(text);
    }
  });

  it('masks contact details beside a UUID', () => {
    const id = 'fd2067c0-0202-4615-8a2b-0701234567ab';
    expect(maskContactDetails(`Se ${id}, ring 070-222 22 22 eller skriv a@b.se.`)).toBe(`Se ${id}, ring ${MASKED_CONTACT} eller skriv ${MASKED_CONTACT}.`);
    expect(maskContactDetails(`070-222 22 22 ${id}`)).toBe(`${MASKED_CONTACT} ${id}`);
  });

  it('masks an e-mail address that contains a UUID', () => {
    expect(maskContactDetails('Skriv till 12345678-1234-1234-1234-123456789012@fk.example.se.')).toBe(`Skriv till ${MASKED_CONTACT}.`);
    expect(maskContactDetails('Skriv till 162471c4-79bb-4d03-a8cb-53dbf5b0871c.x@skr.example.se')).toBe(`Skriv till ${MASKED_CONTACT}`);
  });

  it('masks every digit of numbers written together', () => {
    const texts: [string, string][] = [
      ['070-1234567 / 070-7654321', MASKED_CONTACT],
      ['08-123 45 67 / 070-765 43 21', MASKED_CONTACT],
      ['070 123 45 67/070 765 43 21', MASKED_CONTACT],
      ['2026-03-02 08.00 070 123 45 67', `2026-03-02 08.00 ${MASKED_CONTACT}`],
      ['05.03.2025 070-123 45 67', `05.03.2025 ${MASKED_CONTACT}`],
      ['Kontakt 05.03.2025 08.00-12.00 070-123 45 67', `Kontakt 05.03.2025 08.00-12.00 ${MASKED_CONTACT}`],
      ['12.05.2025 08.12 34 56', `12.05.2025 ${MASKED_CONTACT}`],
      ['070_123_45_67', MASKED_CONTACT],
      ['070\u200b1234567 och 070\u00ad1234567', `${MASKED_CONTACT} och ${MASKED_CONTACT}`],
    ];
    for (const [text, masked] of texts) expect(maskContactDetails(text), text).toBe(masked);
  });

  it('masks numbers that touch letters', () => {
    expect(maskContactDetails('Mobil 070-123 45 67E-post saknas')).toBe(`Mobil ${MASKED_CONTACT}E-post saknas`);
    expect(maskContactDetails('Tel0701234567 Mobil:0709876543')).toBe(`Tel${MASKED_CONTACT} Mobil:${MASKED_CONTACT}`);
    expect(maskContactDetails('Tel 08 12.03.26')).toBe(`Tel ${MASKED_CONTACT}`);
  });

  it('keeps dates followed by counts', () => {
    const texts = ['Leverans 12.02.2026 13.02.2026 2 st', 'Möte 12.02.2026 13.00 3 deltagare', 'Möten 12.02.2026 och 13.02.2026 5 deltagare'];
    for (const text of texts) expect(maskContactDetails(text), text).toBe(text);
  });

  it('reads long runs of dates and times in linear time', () => {
    // Backtracking that grew with the number of pairs took seconds for 24 pairs, so 2,000 pairs
    // would outlast the test's timeout. The work per character is bounded now.
    const masked = maskContactDetails(`${'12.02.2026 13.00 '.repeat(2_000)}5`);
    expect(masked.startsWith('12.02.2026 13.00 12.02.2026 13.00 ')).toBe(true);
    const ranges = maskContactDetails(`${'0800-1700 08.00-17.00 '.repeat(2_000)}5`);
    expect(ranges.startsWith('0800-1700 08.00-17.00 0800-1700 ')).toBe(true);
  });

  it('masks e-mail addresses with unusual characters', () => {
    const texts = ['anna!x@kommun.example.se', 'anna&bo@kommun.example.se', 'anna@sub_domain.kommun.example.se', 'anna@kom\u00admun.se', 'anna\u200b@kommun.se'];
    for (const text of texts) expect(maskContactDetails(`Skriv till ${text}.`), text).toBe(`Skriv till ${MASKED_CONTACT}.`);
  });

  it('masks addresses written out', () => {
    const texts = ['anna (at) kommun.example.se', 'anna[at]kommun[dot]se', 'anna.lind {at} kommun (punkt) se', 'anna (snabel-a) kommun.se', 'ANNA (AT) KOMMUN.SE'];
    for (const text of texts) expect(maskContactDetails(`Skriv till ${text}.`), text).toBe(`Skriv till ${MASKED_CONTACT}.`);
  });

  it('keeps the file type after an address', () => {
    expect(maskContactDetails('svar anna@kommun.se.xlsx')).toBe(`svar ${MASKED_CONTACT}.xlsx`);
    expect(maskContactDetails('svar anna (at) kommun.se.PDF')).toBe(`svar ${MASKED_CONTACT}.PDF`);
    expect(maskContactDetails('Skriv till anna@kommun.se.')).toBe(`Skriv till ${MASKED_CONTACT}.`);
    expect(maskContactDetails('svar från anna@kommun.pdf')).toBe(`svar från ${MASKED_CONTACT}.pdf`);
    expect(maskContactDetails('se anna@host.csv och anna@kommun.se.ods')).toBe(`se ${MASKED_CONTACT}.csv och ${MASKED_CONTACT}.ods`);
  });

  it('keeps bracketed at without an address', () => {
    for (const text of ['Se krav (at) punkt 3.', 'Look (at) this', 'Skriv till anna (at) kommun']) expect(maskContactDetails(text), text).toBe(text);
  });

  it('keeps opening hours as time ranges', () => {
    const texts = [
      'Öppet 0800-1700', 'Öppet 0800 - 1700.', 'Natt 2200\u20130600', 'Öppet 0800-1200 1300-1700', 'Vecka 12 0800-1700', '2026-03-02 0800-1700',
      'Tider (0800-1700).', 'Öppet 08.00-17.00 5 dagar i veckan', 'kl 08.00-17.00 1 maj', 'Öppet 08:00-17:00 2026',
    ];
    for (const text of texts) expect(maskContactDetails(text), text).toBe(text);
  });

  it('masks look-alike time ranges', () => {
    const texts: [string, string][] = [
      ['Ring 0812-3456', `Ring ${MASKED_CONTACT}`],
      ['Ring 0800-1760', `Ring ${MASKED_CONTACT}`],
      ['Ring 0701-2345 67', `Ring ${MASKED_CONTACT}`],
      ['Ring 070 0800-1700', `Ring ${MASKED_CONTACT}`],
      ['Öppet 0800-1700, ring 070-123 45 67', `Öppet 0800-1700, ring ${MASKED_CONTACT}`],
      ['Öppet 0800-1700 070-123 45 67', `Öppet 0800-1700 ${MASKED_CONTACT}`],
    ];
    for (const [text, masked] of texts) expect(maskContactDetails(text), text).toBe(masked);
  });

  it('masks phone numbers beside dates and times', () => {
    expect(maskContactDetails('Ring 08.12 34 56 efter 05.03.2025')).toBe(`Ring ${MASKED_CONTACT} efter 05.03.2025`);
    expect(maskContactDetails('Ring 08.00-17.00 på 070-222 22 22.')).toBe(`Ring 08.00-17.00 på ${MASKED_CONTACT}.`);
    expect(maskContactDetails('Ring 031.12.34.56 eller 08-12.34.56')).toBe(`Ring ${MASKED_CONTACT} eller ${MASKED_CONTACT}`);
    expect(maskContactDetails('Bankgiro 0123-4567')).toBe(`Bankgiro ${MASKED_CONTACT}`);
  });
});

describe('maskContactDetails on personal identity numbers', () => {
  it('masks identity and coordination numbers', () => {
    const numbers = [
      '850312-1231', '19850312-1231', '198503121231', '8503121231', '640823+3234', '070615-9878', '701063-2391', '850312\u20131231',
    ];
    for (const number of numbers) {
      expect(maskContactDetails(`Gäller ${number}, se bilaga.`), number).toBe(`Gäller ${MASKED_CONTACT}, se bilaga.`);
    }
  });

  it('keeps look-alikes that fail the checks', () => {
    const texts = [
      'Felaktig kontrollsiffra 8503121234', 'Felaktig kontrollsiffra 198503121234', 'Organisationsnummer 556123-4567', 'Organisationsnummer 5560000019',
      'Månad 13: 851312-1231', 'Dag 00: 850300-1231', 'Serienummer 12345678901234',
      'Deklaration 19850312-1231-4a2b-8c3d-0701234567ab',
    ];
    for (const text of texts) expect(maskContactDetails(text), text).toBe(text);
  });

  it('keeps wrong check digits with separators', () => {
    const texts = ['Löpnummer 20251231-0001', 'Ärende 20260115-0042 skapat', 'Felaktig kontrollsiffra 850312-1234', 'Felaktig kontrollsiffra 19850312-1234', 'Nummer 850312+1234'];
    for (const text of texts) expect(maskContactDetails(text), text).toBe(text);
  });

  it('keeps case numbers after years', () => {
    for (const text of ['Ärende 2026-0123456', 'Dnr 2026/0123456', 'Dnr KS 2026\u20130123456']) {
      expect(maskContactDetails(text), text).toBe(text);
    }
    expect(maskContactDetails('Ärende 2026-0123456, ring 070-123 45 67')).toBe(`Ärende 2026-0123456, ring ${MASKED_CONTACT}`);
  });
});

describe('maskContactValue', () => {
  it('masks every string in a JSON value', () => {
    expect(maskContactValue({ reproduction: 'Ring 070-222 22 22', n: 3, list: ['a@b.se', null] })).toEqual({
      reproduction: `Ring ${MASKED_CONTACT}`,
      n: 3,
      list: [MASKED_CONTACT, null],
    });
  });
});

describe('organisationNumberText', () => {
  it('masks a sole trader\'s number', () => {
    // A wrong check digit is masked too, because the field names the number's owner.
    for (const number of ['850312-1231', '19850312-1231', '8503121231', '701063-2391', '850312-1234']) {
      expect(organisationNumberText(number, false), number).toBe(MASKED_CONTACT);
    }
  });

  it('keeps a legal person\'s number', () => {
    for (const number of ['556123-4567', '5560000019', '16556123-4567', '802400-1234']) expect(organisationNumberText(number, false), number).toBe(number);
  });

  it('masks nothing for callers with contact rights', () => {
    expect(organisationNumberText('850312-1231', true)).toBe('850312-1231');
    expect(organisationNumberText(null, false)).toBeNull();
  });
});

describe('partyCodeText', () => {
  it('masks identity numbers in codes', () => {
    for (const code of ['ORG-8503121231', 'ORG-8503121234', 'ORG-198503121231', 'ORG-7010632391']) {
      expect(partyCodeText(code, false), code).toBe(`ORG-${MASKED_CONTACT}`);
    }
  });

  it('keeps every other party code', () => {
    for (const code of ['ORG-5561234567', 'ORG-P-1A2B3C4D5E6F', 'SUP-AKES-DATA-AB', 'FK', 'DRIFT']) expect(partyCodeText(code, false), code).toBe(code);
    expect(partyCodeText('ORG-8503121231', true)).toBe('ORG-8503121231');
    expect(partyCodeText(null, false)).toBeNull();
  });

  it('masks supplier codes in JSON values', () => {
    expect(maskContactValue({ partyCode: 'ORG-8503121234', other: 'ORG-5561234567' })).toEqual({ partyCode: `ORG-${MASKED_CONTACT}`, other: 'ORG-5561234567' });
  });
});

describe('contactText', () => {
  it('masks only for restricted callers', () => {
    expect(contactText('Ring 070-222 22 22', true)).toBe('Ring 070-222 22 22');
    expect(contactText('Ring 070-222 22 22', false)).toBe(`Ring ${MASKED_CONTACT}`);
    expect(contactText(null, false)).toBeNull();
  });
});
