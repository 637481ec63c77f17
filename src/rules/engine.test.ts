import { describe, expect, it } from 'vitest';
import { proposeOwner } from './engine.ts';
import type { Area, PartyKind, ProposalReason, RuleInput } from './model.ts';
import { loadParties } from './parties.ts';
import { loadRuleSet, parseRuleSet } from './ruleset.ts';

const ruleSet = loadRuleSet();
const parties = loadParties();
const SUPPLIER = 'LEV01';

function row(fields: Partial<RuleInput>): RuleInput {
  return { requirementId: null, areaHint: null, sheet: null, text: '', comment: null, supplierCode: SUPPLIER, ...fields };
}

interface Expected {
  area: Area;
  partyKind: PartyKind;
  partyCode: string | null;
  reason: ProposalReason;
  newRequirement?: boolean;
  /** A rule that must appear in the proposal's evidence. */
  rule?: string;
}

const ADMINISTRATION = { area: 'unassigned', partyKind: 'administration', partyCode: 'SKR' } as const;
const SUPPLIER_OWNER = { area: 'business-system', partyKind: 'supplier', partyCode: SUPPLIER } as const;
const OPERATIONS = { area: 'ssbtek', partyKind: 'operations', partyCode: 'DRIFT' } as const;

function provider(code: string) {
  return { area: 'base-service', partyKind: 'data-provider', partyCode: code } as const;
}

const cases: { name: string; input: RuleInput; expected: Expected }[] = [
  {
    name: 'business-system section in Swedish',
    input: row({
      areaHint: 'Verksamhetssystem',
      text: 'Handläggaren ska kunna se vilka uppgifter som hämtats och när',
      comment: 'Uppfylls delvis, loggen visar bara datum',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'area-hint-business-system' },
  },
  {
    name: 'business-system sheet in English',
    input: row({
      sheet: 'Business system',
      text: 'The caseworker must be able to print the retrieved data',
      comment: 'Printing is limited to one page',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'area-hint-business-system' },
  },
  {
    name: 'business-system section outweighs providers listed in the text',
    input: row({
      areaHint: 'Verksamhetssystem',
      text: 'Systemet ska visa uppgifter från Försäkringskassan, CSN och Skatteverket i samma vy',
      comment: 'Ej uppfyllt för CSN',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'provider-mentioned-in-text' },
  },
  {
    name: 'base-service section naming the provider',
    input: row({
      areaHint: 'Bastjänster – CSN',
      text: 'Uppgifter om studiemedel ska kunna hämtas',
      comment: 'CSN levererar inte uppgifter om studiehjälp',
    }),
    expected: { ...provider('CSN'), reason: 'assigned', rule: 'area-hint-base-service' },
  },
  {
    name: 'provider name as section heading',
    input: row({
      areaHint: 'Försäkringskassan',
      text: 'Sjukpenning ska visas per månad',
      comment: 'Uppgiften saknas i svaret',
    }),
    expected: { ...provider('FK'), reason: 'assigned', rule: 'area-hint-base-service' },
  },
  {
    name: 'data-provider section with genitive provider name',
    input: row({
      areaHint: 'Uppgiftslämnare',
      text: 'Inkomstuppgifter ska visas per inkomstkälla',
      comment: 'Skatteverkets svar saknar arbetsgivardeklaration för december',
    }),
    expected: { ...provider('SKV'), reason: 'assigned', rule: 'provider-mentioned-in-text' },
  },
  {
    name: 'base-service sheet in English',
    input: row({
      sheet: 'Base services',
      text: 'Pension data from the Swedish Pensions Agency must be shown',
      comment: 'Guarantee pension is missing from the response',
    }),
    expected: { ...provider('PM'), reason: 'assigned', rule: 'area-hint-base-service' },
  },
  {
    name: 'base service named in text without a section',
    input: row({ text: 'AF:s bastjänst returnerar inte etableringsersättning för alla ärenden' }),
    expected: { ...provider('AF'), reason: 'assigned', rule: 'base-service-named-in-text' },
  },
  {
    name: 'unemployment fund by alias',
    input: row({ areaHint: 'Bastjänster', text: 'Ersättning från a-kassan ska visas', comment: 'A-kassornas svar saknar belopp' }),
    expected: { ...provider('AKASSA'), reason: 'assigned', rule: 'area-hint-base-service' },
  },
  {
    name: 'SSBTEK as section',
    input: row({ areaHint: 'SSBTEK', text: 'Varje anrop ska loggas centralt', comment: 'Loggning saknas för återförsök' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'area-hint-ssbtek' },
  },
  {
    name: 'central component section',
    input: row({ areaHint: 'Central komponent', text: 'Anropen ska ha ett unikt id', comment: 'Id saknas i vissa svar' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'area-hint-ssbtek' },
  },
  {
    name: 'operations section in English',
    input: row({ sheet: 'Operations', text: 'Planned maintenance is announced in advance', comment: 'Announced too late' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'area-hint-ssbtek' },
  },
  {
    name: 'response time in comment',
    input: row({ text: 'Uppgifter ska hämtas inom rimlig tid', comment: 'Svarstiderna överstiger 30 sekunder vid hög belastning' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'operations-terms' },
  },
  {
    name: 'outage in Swedish',
    input: row({ text: 'Tjänsten ska vara tillgänglig under kontorstid', comment: 'Driftavbrottet den 12 mars stoppade alla hämtningar' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'operations-terms' },
  },
  {
    name: 'outages and timeouts in English',
    input: row({ text: 'Retrieval must work during office hours', comment: 'Frequent outages and timeouts in the central service' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'operations-terms' },
  },
  {
    name: 'expired certificate',
    input: row({ text: 'Kommunikationen ska vara krypterad', comment: 'Certifikatet gick ut utan förvarning' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'operations-terms' },
  },
  {
    name: 'operations party named',
    input: row({ text: 'Planerat underhåll ska aviseras', comment: 'Driftsparten aviserade underhållet samma dag' }),
    expected: { ...OPERATIONS, reason: 'assigned', rule: 'operations-terms' },
  },
  {
    name: 'supplier gap overrides base-service section',
    input: row({
      areaHint: 'Bastjänst – Försäkringskassan',
      text: 'Handläggaren ska kunna se bostadsbidrag från FK',
      comment: 'Vårt system visar inte bostadsbidrag från FK ännu, vi planerar att bygga det i version 6',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'supplier-own-gap' },
  },
  {
    name: 'supplier gap without own-system wording',
    input: row({
      areaHint: 'Bastjänster',
      text: 'Studiemedel från CSN ska visas per termin',
      comment: 'Ej uppfyllt, vi har ännu inte stöd för detta',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'supplier-own-gap' },
  },
  {
    name: 'supplier gap in English',
    input: row({
      sheet: 'Base services',
      text: 'Housing allowance from FK must be shown',
      comment: 'Not yet implemented in our product, planned for version 6',
    }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'supplier-own-gap' },
  },
  {
    name: 'supplier gap about certificates',
    input: row({ text: 'Byte av certifikat ska kunna göras utan driftstopp', comment: 'Vi stödjer inte automatiskt certifikatbyte' }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', rule: 'supplier-own-gap' },
  },
  {
    name: 'unknown supplier keeps supplier kind',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Uppgifterna ska kunna exporteras', comment: 'Export saknas', supplierCode: null }),
    expected: { area: 'business-system', partyKind: 'supplier', partyCode: null, reason: 'assigned' },
  },
  {
    name: 'provider failure in base-service section',
    input: row({ areaHint: 'Bastjänster', text: 'Uppgifter från CSN ska visas', comment: 'Vi har inte fått svar från CSN sedan i måndags' }),
    expected: { ...provider('CSN'), reason: 'assigned', rule: 'supplier-own-system' },
  },
  {
    name: 'own system versus provider conflicts',
    input: row({ text: 'Uppgifter från CSN ska visas', comment: 'Vi har inte fått svar från CSN sedan i måndags' }),
    expected: { ...ADMINISTRATION, reason: 'conflict' },
  },
  {
    name: 'two providers in one section conflict',
    input: row({ areaHint: 'Bastjänster', text: 'Uppgifter från FK och CSN ska visas samtidigt', comment: 'Fungerar inte' }),
    expected: { ...ADMINISTRATION, reason: 'conflict' },
  },
  {
    name: 'business section with timeout conflicts',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Hämtningen ska visa förlopp', comment: 'Timeout efter 30 sekunder' }),
    expected: { ...ADMINISTRATION, reason: 'conflict' },
  },
  {
    name: 'lone provider mention is too weak',
    input: row({ text: 'Uppgifter om barnbidrag visas inte' }),
    expected: { ...ADMINISTRATION, reason: 'below-threshold' },
  },
  {
    name: 'base-service section without provider',
    input: row({ areaHint: 'Bastjänster', text: 'Uppgifterna ska visas med källa och datum', comment: 'Datum saknas' }),
    expected: { ...ADMINISTRATION, reason: 'provider-unknown' },
  },
  {
    name: 'no matching rule',
    input: row({ text: 'Texten ska vara lättläst', comment: 'Ja' }),
    expected: { ...ADMINISTRATION, reason: 'no-evidence' },
  },
  {
    name: 'wish for a new provider',
    input: row({ text: 'Övrigt', comment: 'Vi önskar att SSBTEK även hämtar uppgifter från Kronofogden' }),
    expected: { ...ADMINISTRATION, reason: 'new-requirement', newRequirement: true, rule: 'wish-wording' },
  },
  {
    name: 'wish in base-service section',
    input: row({ areaHint: 'Bastjänst – Försäkringskassan', text: 'Bostadsbidrag ska visas', comment: 'Det vore bra om SSBTEK även visade historik för bostadsbidrag' }),
    expected: { ...ADMINISTRATION, reason: 'new-requirement', newRequirement: true, rule: 'wish-wording' },
  },
  {
    name: 'new requirement wording',
    input: row({ text: 'Nytt krav: uppgifter om fordonsinnehav ska visas per fordon' }),
    expected: { ...ADMINISTRATION, reason: 'new-requirement', newRequirement: true },
  },
  {
    name: 'proposal at start of comment',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Utskrift ska finnas', comment: 'Förslag: lägg till export till PDF' }),
    expected: { ...ADMINISTRATION, reason: 'new-requirement', newRequirement: true },
  },
  {
    name: 'wish in English',
    input: row({ sheet: 'Operations', text: 'Uptime is reported monthly', comment: 'We would like weekly uptime reports' }),
    expected: { ...ADMINISTRATION, reason: 'new-requirement', newRequirement: true },
  },
  {
    name: 'proposal inside requirement text',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Systemet ska ta fram förslag till beslut', comment: 'Ej uppfyllt' }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned', newRequirement: false },
  },
  {
    name: 'digital accessibility is not availability',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Gränssnittet ska följa kraven', comment: 'Vi uppfyller kraven på digital tillgänglighet delvis' }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned' },
  },
  {
    name: 'memo abbreviation is not a provider',
    input: row({ areaHint: 'Verksamhetssystem', text: 'Behörigheter ska styras per roll', comment: 'Se bifogad PM för detaljer' }),
    expected: { ...SUPPLIER_OWNER, reason: 'assigned' },
  },
];

describe('proposeOwner', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const proposal = proposeOwner(input, ruleSet, parties);

    expect(proposal.reason).toBe(expected.reason);
    expect(proposal.area).toBe(expected.area);
    expect(proposal.partyKind).toBe(expected.partyKind);
    expect(proposal.partyCode).toBe(expected.partyCode);
    expect(proposal.newRequirement).toBe(expected.newRequirement ?? false);
    if (expected.rule !== undefined) {
      expect(proposal.evidence.map((item) => item.ruleId)).toContain(expected.rule);
    }
  });

  it('covers every rule in the table', () => {
    const fired = new Set(cases.flatMap(({ input }) => proposeOwner(input, ruleSet, parties).evidence.map((item) => item.ruleId)));

    expect([...fired].sort()).toEqual(ruleSet.rules.map((rule) => rule.id).sort());
  });
});

function inputOf(name: string): RuleInput {
  const found = cases.find((entry) => entry.name === name);
  if (found === undefined) {
    throw new Error(`No case named '${name}' in the table.`);
  }
  return found.input;
}

describe('proposeOwner scoring', () => {
  it('records evidence for the supplier override', () => {
    const proposal = proposeOwner(inputOf('supplier gap overrides base-service section'), ruleSet, parties);

    expect(proposal.evidence).toContainEqual({ ruleId: 'supplier-own-gap', field: 'comment', match: 'Vårt system visar inte', weight: 14 });
    expect(proposal.evidence).toContainEqual({ ruleId: 'area-hint-base-service', field: 'areaHint', match: 'Försäkringskassan', weight: 4 });
    expect(proposal.ruleIds).toEqual(['supplier-own-system', 'supplier-own-gap']);
  });

  it('lists candidates best first', () => {
    const proposal = proposeOwner(inputOf('supplier gap overrides base-service section'), ruleSet, parties);

    expect(proposal.candidates).toEqual([
      { ...SUPPLIER_OWNER, score: 16, ruleIds: ['supplier-own-system', 'supplier-own-gap'] },
      { ...provider('FK'), score: 8, ruleIds: ['area-hint-base-service', 'provider-mentioned-in-text', 'provider-service-named-in-text'] },
    ]);
    expect(proposal.confidence).toBe(0.667);
  });

  it('splits a weight among named providers', () => {
    const proposal = proposeOwner(inputOf('business-system section outweighs providers listed in the text'), ruleSet, parties);
    const scores = Object.fromEntries(proposal.candidates.map((candidate) => [candidate.partyCode, candidate.score]));

    expect(scores).toEqual({ [SUPPLIER]: 4, CSN: 0.667, FK: 0.667, SKV: 0.667 });
    expect(proposal.confidence).toBe(0.667);
  });

  it('scales confidence by absolute strength', () => {
    const operations = proposeOwner(row({ comment: 'Svarstiden är för lång' }), ruleSet, parties);
    const provider = proposeOwner(row({ comment: 'CSN svarar fel' }), ruleSet, parties);

    expect(operations.confidence).toBe(0.75);
    expect(provider.confidence).toBe(0.5);
  });

  it('keeps both candidates on conflict', () => {
    const proposal = proposeOwner(inputOf('two providers in one section conflict'), ruleSet, parties);
    const codes = proposal.candidates.map((candidate) => candidate.partyCode);
    const scores = proposal.candidates.map((candidate) => candidate.score);

    expect(codes).toEqual(['CSN', 'FK']);
    expect(scores).toEqual([3, 3]);
    expect(proposal.ruleIds).toEqual(['area-hint-base-service', 'provider-mentioned-in-text']);
  });

  it('keeps candidates for a wish', () => {
    const proposal = proposeOwner(inputOf('wish in base-service section'), ruleSet, parties);

    expect(proposal.candidates[0]?.partyCode).toBe('FK');
    expect(proposal.ruleIds).toContain('wish-wording');
  });

  it('is deterministic', () => {
    const reloaded = loadRuleSet();

    for (const { input } of cases) {
      const first = proposeOwner(input, ruleSet, parties);
      expect(proposeOwner(input, ruleSet, parties)).toEqual(first);
      expect(proposeOwner(input, reloaded, loadParties())).toEqual(first);
    }
  });

  it('reports the rule set version', () => {
    expect(proposeOwner(inputOf('business-system section in Swedish'), ruleSet, parties).ruleSetVersion).toBe(ruleSet.version);
  });

  it('matches decomposed Swedish letters', () => {
    const decomposed = 'Försäkringskassan'.normalize('NFD');
    const proposal = proposeOwner(row({ areaHint: decomposed, text: 'Sjukpenning ska visas' }), ruleSet, parties);

    expect(proposal.partyCode).toBe('FK');
  });
});

describe('proposeOwner with a custom rule set', () => {
  const custom = parseRuleSet(
    {
      version: '1.0.0',
      threshold: 0.5,
      conflictMargin: 0.1,
      fullStrength: 1,
      rules: [
        {
          id: 'requirement-id-prefix',
          description: 'Requirement ids starting with VS belong to the business system.',
          fields: ['requirementId'],
          match: { patterns: ['VS-\\d+'] },
          vote: { area: 'business-system', party: 'supplier', weight: 2 },
        },
        {
          id: 'unclear-requirement',
          description: 'The supplier questions the requirement itself.',
          fields: ['comment'],
          match: { terms: ['kravet är otydligt'] },
          vote: { area: 'ssbtek', party: 'administration', weight: 5 },
        },
      ],
    },
    'inline rule set',
  );

  it('matches the requirement id', () => {
    const proposal = proposeOwner(row({ requirementId: 'VS-12', text: 'Valfri text' }), custom, parties);

    expect(proposal.area).toBe('business-system');
    expect(proposal.evidence).toEqual([{ ruleId: 'requirement-id-prefix', field: 'requirementId', match: 'VS-12', weight: 2 }]);
  });

  it('sends an administration vote to the administration', () => {
    const proposal = proposeOwner(row({ requirementId: 'VS-12', text: 'Valfri text', comment: 'Kravet är otydligt' }), custom, parties);

    expect(proposal.reason).toBe('administration-vote');
    expect(proposal.area).toBe('unassigned');
    expect(proposal.partyCode).toBe('SKR');
    expect(proposal.candidates[0]).toMatchObject({ partyKind: 'administration', partyCode: 'SKR', score: 5 });
  });
});
