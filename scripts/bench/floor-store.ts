/**
 * The store stage's floor: the same cover, requirement rows, deviations, occurrences and history
 * events that storeProcessedDeclaration writes, sent through the pg driver as one multi-row
 * INSERT per table and one UPDATE of the declaration, in one transaction (8 round trips).
 */

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { countAnswers, type ProcessedDeclaration } from '../../src/db/store-declaration.ts';
import { toDbAnswer, toDbArea, toDbPartyKind } from '../../src/db/enums.ts';

type Value = string | number | boolean | null | Date | string[];

/** Builds `INSERT INTO table (columns) VALUES ($1, …), (…)` for rows of equal length. */
function multiRowInsert(table: string, columns: readonly string[], rows: Value[][]): { text: string; values: Value[] } {
  const values: Value[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value) => {
      values.push(value);
      return `$${values.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const columnList = columns.map((column) => `"${column}"`).join(', ');
  return { text: `INSERT INTO "${table}" (${columnList}) VALUES ${tuples.join(', ')}`, values };
}

/** Inserts a bare declaration for the floor to write into, so that both writes start from the same state. */
export async function insertBareDeclaration(client: pg.Client, fileName: string, sizeBytes: number): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "Declaration" (id, sha256, "fileName", "mediaType", "sizeBytes", status) VALUES ($1, $2, $3, $4, $5, 'processing')`,
    [id, randomUUID(), fileName, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sizeBytes],
  );
  return id;
}

/** Writes a processed declaration as the floor does. Large declarations would exceed 65,535 parameters. */
export async function storeWithOneInsertPerTable(
  client: pg.Client,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<void> {
  const { cover, rows } = processed.parsed;
  const rowIds = rows.map(() => randomUUID());
  const now = new Date();
  const deviationIds = processed.candidates.map(() => randomUUID());

  await client.query('BEGIN');
  try {
    const coverInsert = multiRowInsert(
      'CoverFacts',
      ['declarationId', 'supplier', 'organisationNumber', 'system', 'version', 'municipality', 'date', 'contactName', 'contactPhone', 'contactEmail'],
      [[declarationId, cover.supplier, cover.organisationNumber, cover.system, cover.version, cover.municipality, cover.date, cover.contact.name, cover.contact.phone, cover.contact.email]],
    );
    await client.query(coverInsert.text, coverInsert.values);

    const rowInsert = multiRowInsert(
      'RequirementRow',
      ['id', 'declarationId', 'position', 'requirementId', 'areaHint', 'text', 'answer', 'answerRaw', 'comment', 'attachments', 'sourceSheet', 'sourceRow', 'sourcePage', 'sourceLine'],
      rows.map((row, position) => [
        rowIds[position]!,
        declarationId,
        position,
        row.requirementId,
        row.areaHint,
        row.text,
        toDbAnswer(row.answer),
        row.answerRaw,
        row.comment,
        row.attachments,
        row.source.kind === 'sheet' ? row.source.sheet : null,
        row.source.kind === 'sheet' ? row.source.row : null,
        row.source.kind === 'page' ? row.source.page : null,
        row.source.kind === 'page' ? row.source.line : null,
      ]),
    );
    await client.query(rowInsert.text, rowInsert.values);

    if (processed.candidates.length > 0) {
      const deviationInsert = multiRowInsert(
        'Deviation',
        [
          'id', 'declarationId', 'requirementRowId', 'supplierCode', 'municipality', 'requirementId', 'answer', 'title',
          'reproduction', 'result', 'material', 'contactName', 'contactPhone', 'contactEmail', 'missingFields',
          'proposedArea', 'proposedPartyKind', 'proposedPartyCode', 'proposalRuleIds', 'proposalEvidence',
          'proposalConfidence', 'proposalCandidates', 'newRequirement', 'parserVersion', 'ruleSetVersion', 'updatedAt',
        ],
        processed.candidates.map(({ candidate, proposal }, index) => [
          deviationIds[index]!,
          declarationId,
          rowIds[candidate.rowIndex]!,
          processed.supplierCode,
          cover.municipality,
          candidate.row.requirementId,
          toDbAnswer(candidate.row.answer),
          candidate.title,
          candidate.reproduction,
          candidate.result,
          candidate.material,
          candidate.contact.name,
          candidate.contact.phone,
          candidate.contact.email,
          candidate.missingFields,
          toDbArea(proposal.area),
          toDbPartyKind(proposal.partyKind),
          proposal.partyCode,
          proposal.ruleIds,
          JSON.stringify(proposal.evidence),
          proposal.confidence,
          JSON.stringify(proposal.candidates),
          proposal.newRequirement,
          processed.parserVersion,
          proposal.ruleSetVersion,
          now,
        ]),
      );
      await client.query(deviationInsert.text, deviationInsert.values);

      const occurrenceInsert = multiRowInsert(
        'DeviationOccurrence',
        ['id', 'deviationId', 'declarationId', 'requirementRowId', 'answer', 'seenAt'],
        processed.candidates.map(({ candidate }, index) => [
          randomUUID(),
          deviationIds[index]!,
          declarationId,
          rowIds[candidate.rowIndex]!,
          toDbAnswer(candidate.row.answer),
          now,
        ]),
      );
      await client.query(occurrenceInsert.text, occurrenceInsert.values);

      const eventInsert = multiRowInsert(
        'DeviationEvent',
        ['deviationId', 'actor', 'type', 'toValue', 'reason'],
        processed.candidates.map(({ proposal }, index) => [
          deviationIds[index]!,
          'system',
          'created',
          JSON.stringify({
            status: 'new',
            proposal: {
              area: toDbArea(proposal.area),
              partyKind: toDbPartyKind(proposal.partyKind),
              partyCode: proposal.partyCode,
              ruleIds: proposal.ruleIds,
              confidence: proposal.confidence,
            },
            parserVersion: processed.parserVersion,
            ruleSetVersion: processed.ruleSetVersion,
          }),
          'Skapad från självdeklaration',
        ]),
      );
      await client.query(eventInsert.text, eventInsert.values);
    }

    await client.query(
      `UPDATE "Declaration" SET status = 'parsed', "errorCode" = NULL, "errorMessage" = NULL, "processedAt" = $2,
         "parserVersion" = $3, "ruleSetVersion" = $4, counts = $5, "parseReport" = $6 WHERE id = $1`,
      [declarationId, now, processed.parserVersion, processed.ruleSetVersion, JSON.stringify(countAnswers(rows)), JSON.stringify(processed.parsed.report)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
