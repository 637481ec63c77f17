// The API and the JSON output use kebab-case values; PostgreSQL enums use snake_case.
import type { Answer as DbAnswer, Area as DbArea, PartyKind as DbPartyKind } from '../generated/prisma/client.ts';
import type { Answer } from '../ingest/model.ts';
import type { Area, PartyKind } from '../rules/model.ts';

export const toDbAnswer = (answer: Answer) => answer.replace(/-/g, '_') as DbAnswer;
export const fromDbAnswer = (answer: DbAnswer) => answer.replace(/_/g, '-') as Answer;
export const toDbArea = (area: Area) => area.replace(/-/g, '_') as DbArea;
export const fromDbArea = (area: DbArea) => area.replace(/_/g, '-') as Area;
export const toDbPartyKind = (kind: PartyKind) => kind.replace(/-/g, '_') as DbPartyKind;
export const fromDbPartyKind = (kind: DbPartyKind) => kind.replace(/_/g, '-') as PartyKind;
