// Parts shared by the triage queue and the deviation page: the proposal, the requirement rows
// around the source, and the dialogs for assigning an owner and flagging a new requirement.
import { api } from './api.js';
import { facts, fill, freeTextCell, h, table } from './dom.js';
import { formatDate, formatSource, ownerText, percent, statusBadge } from './format.js';
import { t } from './i18n.js';

let referenceParties = null;

/** Reads the data providers and the operations party once per page load. */
export async function loadReferenceParties() {
  referenceParties ??= (await api('/api/parties')).items;
  return referenceParties;
}

export function deviationFacts(deviation) {
  return facts([
    [t('deviation.status'), statusBadge(deviation.status)],
    [t('deviation.requirement'), deviation.requirementId],
    [t('deviation.answer'), deviation.answer ? t(`answer.${deviation.answer}`) : null],
    [t('deviation.owner'), deviation.owner ? ownerText(deviation) : t('deviation.noOwner')],
    [t('deviation.system'), deviation.businessSystem?.name],
    [t('deviation.supplier'), deviation.supplierCode],
    [t('deviation.municipality'), deviation.municipality],
    [t('deviation.dueDate'), deviation.dueDate ? [deviation.dueDate, deviation.overdue ? [' ', h('strong', { class: 'overdue' }, t('deviation.overdue'))] : null] : null],
    [t('deviation.created'), formatDate(deviation.createdAt)],
    [t('deviation.source'), deviation.source ? formatSource(deviation.source) : t('deviation.directReport')],
  ]);
}

/** Builds the rules' proposal: owner, confidence, rule ids, evidence, competing candidates and missing fields. */
export function proposalSection(deviation, headingLevel = 'h2') {
  const proposal = deviation.proposal;
  const evidence = proposal.evidence ?? [];
  const candidates = (proposal.candidates ?? []).filter(
    (candidate) => !(candidate.area === proposal.area && candidate.partyCode === proposal.partyCode),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `proposal-heading-${deviation.id}` },
    h(headingLevel, { id: `proposal-heading-${deviation.id}` }, t('deviation.proposal')),
    facts([
      [t('deviation.proposedOwner'), `${t(`area.${proposal.area}`)}: ${proposal.partyCode ?? t('app.none')}`],
      [t('deviation.confidence'), percent(proposal.confidence)],
      [t('deviation.rules'), proposal.ruleIds.length > 0 ? proposal.ruleIds.join(', ') : null],
    ]),
    proposal.newRequirement ? h('p', { class: 'notice' }, t('deviation.newRequirement')) : null,
    evidence.length > 0
      ? table(
          t('deviation.evidence'),
          [t('deviation.evidenceRule'), t('deviation.evidenceField'), t('deviation.evidenceMatch'), t('deviation.evidenceWeight')],
          evidence.map((item) => [item.ruleId, item.field, freeTextCell(item.match), String(item.weight)]),
        )
      : null,
    candidates.length > 0
      ? table(
          t('deviation.candidates'),
          [t('deviation.area'), t('deviation.party'), t('deviation.candidateScore'), t('deviation.rules')],
          candidates.map((candidate) => [
            t(`area.${candidate.area}`),
            candidate.partyCode ?? t('app.none'),
            String(candidate.score),
            candidate.ruleIds.join(', '),
          ]),
        )
      : h('p', {}, t('deviation.noCandidates')),
    h('h3', {}, t('deviation.missingFields')),
    deviation.missingFields.length > 0
      ? h('ul', {}, deviation.missingFields.map((field) => h('li', {}, missingFieldLabel(field))))
      : h('p', {}, t('deviation.noMissingFields')),
  );
}

/** Names a field that a deviation lacks, or gives its code when the interface has no name for it. */
function missingFieldLabel(field) {
  const key = `missingField.${field}`;
  const label = t(key);
  return label === key ? field : label;
}

/** Builds the deviation's reason, result, material and contact. */
export function descriptionSection(deviation) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `description-${deviation.id}` },
    h('h2', { id: `description-${deviation.id}` }, t('detail.description')),
    facts([
      [t('field.reproduction'), deviation.reproduction],
      [t('field.result'), deviation.result],
      [t('field.material'), deviation.material.length > 0 ? h('ul', {}, deviation.material.map((item) => h('li', {}, item))) : null],
      [
        t('field.contact'),
        deviation.contact
          ? [deviation.contact.name ?? '', deviation.contact.phone ? `, ${deviation.contact.phone}` : '', deviation.contact.email ? `, ${deviation.contact.email}` : '']
          : t('deviation.contactRestricted'),
      ],
    ]),
  );
}

/** Builds the table of requirement rows around the source row, with the source row marked. */
export function contextSection(context, headingId) {
  const section = h('section', { class: 'card context', 'aria-labelledby': headingId }, h('h2', { id: headingId }, t('context.title')));
  if (context.rows.length === 0) {
    section.append(h('p', {}, t('context.none')));
    return section;
  }
  if (context.neighboursRestricted) section.append(h('p', { class: 'hint' }, t('context.restricted')));
  const rows = context.rows.map((row) =>
    h(
      'tr',
      { class: row.isSource ? 'source-row' : null, 'aria-current': row.isSource ? 'true' : null },
      h('th', { scope: 'row' }, formatSource(row.source), row.isSource ? h('span', { class: 'tag' }, t('context.sourceRow')) : null),
      h('td', {}, row.requirementId ?? '–'),
      freeTextCell(row.text),
      freeTextCell([t(`answer.${row.answer}`), row.answerRaw && row.answerRaw !== t(`answer.${row.answer}`) ? h('span', { class: 'hint' }, ` (${row.answerRaw})`) : null]),
      freeTextCell(row.comment),
    ),
  );
  section.append(
    table(
      t('context.caption', { file: context.fileName ?? '' }),
      [t('context.location'), t('context.id'), t('context.text'), t('context.answer'), t('context.comment')],
      rows,
      { class: 'context-table' },
    ),
  );
  return section;
}

/**
 * Opens a modal dialog built by `buildBody(form)` and resolves with what `read(form)` returns on
 * submit, or null when cancelled. A string from `read` is an error message shown in the dialog,
 * which stays open. Native <dialog> keeps focus inside and closes on Escape.
 */
export function openDialog({ title, describedBy, buildBody, read, submitLabel }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const form = h('form', { method: 'dialog' });
    const dialog = h('dialog', { 'aria-labelledby': titleId, 'aria-describedby': describedBy ?? null }, h('h2', { id: titleId }, title), form);
    buildBody(form);
    const cancel = h('button', { type: 'button', value: 'cancel' }, t('app.cancel'));
    form.append(error, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, submitLabel), cancel));

    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('close', () => finish(null));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const result = read(form);
      if (typeof result === 'string') {
        error.textContent = result;
        error.hidden = false;
        return;
      }
      finish(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector('input:checked') ?? form.querySelector('input, select, textarea, button');
    first?.focus();
  });
}

/** Asks for an owner: area, party of that area's kind, and a reason. */
export async function askForOwner(deviation) {
  const parties = await loadReferenceParties();
  const choicesFor = (area) => {
    if (area === 'business-system') return deviation.supplierCode ? [{ code: deviation.supplierCode, name: deviation.supplierCode }] : [];
    const kind = area === 'base-service' ? 'data-provider' : 'operations';
    return parties.filter((party) => party.kind === kind);
  };
  const proposedArea = deviation.proposal.area === 'unassigned' ? 'base-service' : deviation.proposal.area;

  return openDialog({
    title: t('assign.title'),
    submitLabel: t('assign.submit'),
    buildBody: (form) => {
      const partyFieldset = h('fieldset', { class: 'choices' });
      const renderParties = (area) => {
        const choices = choicesFor(area);
        const preferred =
          choices.find((party) => party.code === deviation.proposal.partyCode) ??
          choices.find((party) => deviation.proposal.candidates?.some((candidate) => candidate.partyCode === party.code)) ??
          choices[0];
        fill(partyFieldset, 
          h('legend', {}, t('assign.party')),
          choices.length === 0
            ? h('p', {}, t('assign.noSupplier'))
            : choices.map((party) =>
                h(
                  'label',
                  { class: 'choice' },
                  h('input', { type: 'radio', name: 'party', value: party.code, checked: party === preferred }),
                  party.name === party.code ? party.code : `${party.code} – ${party.name}`,
                ),
              ),
        );
      };
      const areaFieldset = h(
        'fieldset',
        { class: 'choices' },
        h('legend', {}, t('assign.area')),
        ['business-system', 'base-service', 'ssbtek'].map((area) =>
          h(
            'label',
            { class: 'choice' },
            h('input', { type: 'radio', name: 'area', value: area, checked: area === proposedArea, onchange: () => renderParties(area) }),
            t(`area.${area}`),
          ),
        ),
      );
      renderParties(proposedArea);
      form.append(
        areaFieldset,
        partyFieldset,
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'assign-reason' }, t('assign.reason')),
          h('input', { id: 'assign-reason', name: 'reason', type: 'text', maxlength: '2000', required: true, autocomplete: 'off' }),
        ),
      );
    },
    read: (form) => {
      const data = new FormData(form);
      const partyCode = data.get('party');
      const reason = String(data.get('reason') ?? '').trim();
      if (!partyCode) return t('assign.partyRequired');
      if (!reason) return t('assign.reasonRequired');
      return { area: String(data.get('area')), partyCode: String(partyCode), reason };
    },
  });
}

/** Asks what a new requirement should cover; resolves with the reason text or null. */
export function askForNewRequirement() {
  const explanationId = `new-requirement-${Math.random().toString(36).slice(2)}`;
  return openDialog({
    title: t('triage.newTitle'),
    describedBy: explanationId,
    submitLabel: t('triage.newSubmit'),
    buildBody: (form) => {
      form.append(
        h('p', { id: explanationId }, t('triage.newExplanation')),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'new-requirement-reason' }, t('triage.newReason')),
          h('input', { id: 'new-requirement-reason', name: 'reason', type: 'text', maxlength: '1900', required: true, autocomplete: 'off' }),
        ),
      );
    },
    read: (form) => {
      const reason = String(new FormData(form).get('reason') ?? '').trim();
      return reason ? { reason } : t('assign.reasonRequired');
    },
  }).then((result) => result?.reason ?? null);
}

/** Formats the reason recorded for a deviation flagged as a new requirement. A search for its prefix finds them all. */
export function newRequirementReason(text) {
  return `Nytt krav: ${text}`;
}

/** Asks a yes-or-no question in a dialog; resolves true when confirmed. */
export async function askToConfirm(title, lines, submitLabel) {
  const result = await openDialog({
    title,
    submitLabel,
    buildBody: (form) => form.append(...lines.map((line) => h('p', {}, line))),
    read: () => true,
  });
  return result === true;
}
