import { describe, expect, it } from 'vitest';
import { findRuleHits } from './hits.ts';
import { checkPattern, combinedQuickTest, compileNames, compilePattern, compileTerm, findMatches, isAllCapitals } from './matchers.ts';
import { loadParties } from './parties.ts';
import { loadRuleSet } from './ruleset.ts';

const ruleSet = loadRuleSet();
const parties = loadParties();

/** Returns the codes of the data providers that the default rule set finds in a comment. */
function providersIn(comment: string): string[] {
  const input = { requirementId: null, areaHint: null, sheet: null, text: '', comment, supplierCode: null };
  const providerRules = ['provider-mentioned-in-text', 'provider-service-named-in-text'];
  const hits = findRuleHits(input, ruleSet, parties).filter((hit) => providerRules.includes(hit.rule.id));

  return [...new Set(hits.map((hit) => hit.party?.code))].filter((code) => code !== undefined);
}

function matchedTexts(text: string, regexes: RegExp[], excludes: RegExp[] = []): string[] {
  return findMatches(text, regexes, excludes).map((match) => match.text);
}

describe('findRuleHits on a long comment', () => {
  it('returns 150,000 mentions of one provider', () => {
    const comment = 'Försäkringskassan '.repeat(150_000);
    const input = { requirementId: null, areaHint: null, sheet: null, text: '', comment, supplierCode: null };
    const mentions = findRuleHits(input, ruleSet, parties).filter((hit) => hit.rule.id === 'provider-mentioned-in-text');
    expect(mentions).toHaveLength(150_000);
  });
});

describe('provider abbreviations', () => {
  const cases: { text: string; expected: string[] }[] = [
    { text: 'AFTER the update nothing is shown', expected: [] },
    { text: 'Stafetten av uppgifter fungerar', expected: [] },
    { text: 'Vi använder TSV-filer för export', expected: [] },
    { text: 'Halten PM2.5 är inte relevant här', expected: [] },
    { text: 'Kontakta af eller fk vid frågor', expected: [] },
    { text: 'Svar från Fk saknas', expected: [] },
    { text: 'SKVs svar', expected: [] },
    { text: 'AF:s svar saknar inskrivningsdatum', expected: ['AF'] },
    { text: 'Svaret från AF-tjänsten är tomt', expected: ['AF'] },
    { text: 'Uppgifterna kommer från FK.', expected: ['FK'] },
    { text: 'Fordonsinnehav (TS) visas inte', expected: ['TS'] },
    { text: 'Pensionsuppgifter från PM, se bilaga', expected: ['PM'] },
    { text: 'Se bifogad PM om pensionsfrågor', expected: [] },
    { text: 'CSN och SKV svarar olika', expected: ['CSN', 'SKV'] },
  ];

  it.each(cases)('"$text"', ({ text, expected }) => {
    expect(providersIn(text).sort()).toEqual([...expected].sort());
  });
});

describe('provider names with Swedish endings', () => {
  const cases: { text: string; expected: string }[] = [
    { text: 'Försäkringskassans svar saknar belopp', expected: 'FK' },
    { text: 'Bostadsbidraget visas inte', expected: 'FK' },
    { text: 'Arbetsförmedlingens uppgifter är gamla', expected: 'AF' },
    { text: 'Studiestödet visas per termin', expected: 'CSN' },
    { text: 'A-kassans svar är tomt', expected: 'AKASSA' },
    { text: 'ÄLDREFÖRSÖRJNINGSSTÖD saknas', expected: 'PM' },
    { text: 'Uppgifter från Swedish Tax Agency', expected: 'SKV' },
  ];

  it.each(cases)('"$text"', ({ text, expected }) => {
    expect(providersIn(text)).toEqual([expected]);
  });

  it('rejects a name inside a longer word', () => {
    expect(providersIn('Försäkringskassanämnden')).toEqual([]);
    expect(providersIn('Bostadsbidragshandläggare')).toEqual([]);
  });
});

describe('compileTerm', () => {
  it('matches whole words only', () => {
    expect(matchedTexts('driftstörning i natt', [compileTerm('drift')])).toEqual([]);
    expect(matchedTexts('Drift och förvaltning', [compileTerm('drift')])).toEqual(['Drift']);
  });

  it('treats Swedish letters as word characters', () => {
    expect(matchedTexts('Bastjänsterna', [compileTerm('bastjänst')])).toEqual([]);
    expect(matchedTexts('tjänst', [compileTerm('tj')])).toEqual([]);
    expect(matchedTexts('Övrig bastjänst.', [compileTerm('bastjänst')])).toEqual(['bastjänst']);
  });

  it('expands a trailing star', () => {
    expect(matchedTexts('Svarstiderna är långa', [compileTerm('svarstid*')])).toEqual(['Svarstiderna']);
  });

  it('expands a leading star', () => {
    expect(matchedTexts('Nätverksavbrottet i går', [compileTerm('*avbrott*')])).toEqual(['Nätverksavbrottet']);
  });

  it('matches capitals only in capitals', () => {
    expect(matchedTexts('TLS 1.2 och tls', [compileTerm('TLS')])).toEqual(['TLS']);
    expect(isAllCapitals('TLS')).toBe(true);
    expect(isAllCapitals('a-kassa')).toBe(false);
    expect(isAllCapitals('1.2')).toBe(false);
  });

  it('ignores case otherwise', () => {
    expect(matchedTexts('ÖNSKEMÅL från kommunen', [compileTerm('önskemål*')])).toEqual(['ÖNSKEMÅL']);
  });

  it('accepts any whitespace between words', () => {
    expect(matchedTexts('Vårt\u00a0 system\nvisar', [compileTerm('vårt system')])).toEqual(['Vårt\u00a0 system']);
  });

  it('escapes regular expression characters', () => {
    expect(matchedTexts('PM:et och PMxet', [compileTerm('PM:et')])).toEqual(['PM:et']);
    expect(matchedTexts('a-kassa (ny)', [compileTerm('(ny)')])).toEqual(['(ny)']);
  });
});

describe('compilePattern', () => {
  it('anchors at word boundaries', () => {
    expect(matchedTexts('version 6 och version 60', [compilePattern('version\\s+6')])).toEqual(['version 6']);
  });

  it('ignores case and handles Swedish letters', () => {
    expect(matchedTexts('VI STÖDJER INTE detta', [compilePattern('vi\\s+stödjer\\s+inte')])).toEqual(['VI STÖDJER INTE']);
  });

  it('rejects ASCII word boundaries', () => {
    expect(checkPattern('\\bvårt\\b')).toMatch(/must not use \\b/);
    expect(checkPattern('a\\\\b')).toBeNull();
  });

  it('reports a syntax error', () => {
    expect(checkPattern('(unclosed')).toMatch(/is not a valid regular expression/);
  });
});

describe('compileNames', () => {
  it('adds endings to names written in lower case', () => {
    const regexes = compileNames(['Skatteverket', 'SKV'], ['s']);

    expect(matchedTexts('Skatteverkets och SKV:s', regexes)).toEqual(['Skatteverkets', 'SKV']);
    expect(matchedTexts('SKVs', regexes)).toEqual([]);
  });

  it('prefers the longest name', () => {
    const regexes = compileNames(['a-kassa', 'a-kassan'], []);

    expect(matchedTexts('a-kassan', regexes)).toEqual(['a-kassan']);
  });
});

describe('findMatches', () => {
  it('drops matches inside an excluded phrase', () => {
    const matches = matchedTexts('Digital tillgänglighet och tillgänglighet', [compileTerm('tillgänglighet')], [compileTerm('digital tillgänglighet')]);

    expect(matches).toEqual(['tillgänglighet']);
  });

  it('orders matches by position', () => {
    const matches = findMatches('CSN före FK', [compileTerm('FK'), compileTerm('CSN')]);

    expect(matches.map((match) => match.start)).toEqual([0, 9]);
  });
});

describe('combinedQuickTest', () => {
  it('is false only where no expression can match', () => {
    const regexes = [compileTerm('driftstörning'), compileTerm('*avbrott*'), ...compileNames(['FK', 'Försäkringskassan'], ['s'])];
    const mayMatch = combinedQuickTest(regexes);
    for (const text of ['Planerad DRIFTSTÖRNING i natt', 'ett driftavbrottet', 'Uppgift från FK', 'försäkringskassans svar']) {
      expect(mayMatch(text), text).toBe(true);
      expect(regexes.some((regex) => findMatches(text, [regex]).length > 0), text).toBe(true);
    }
    expect(mayMatch('Systemet visar beslutet i handläggarens vy.')).toBe(false);
  });

  it('keeps the case rule of names in capitals', () => {
    const mayMatch = combinedQuickTest(compileNames(['FK'], []));
    expect(mayMatch('uppgift från FK')).toBe(true);
    expect(mayMatch('uppgift från fk')).toBe(false);
  });

  it('lets every text through when a pattern has no quick test', () => {
    const mayMatch = combinedQuickTest([compileTerm('driftstörning'), compilePattern('SOSFS\\s*\\d{4}')]);
    expect(mayMatch('enligt SOSFS 2014')).toBe(true);
    expect(mayMatch('helt orelaterad text')).toBe(true);
  });
});
