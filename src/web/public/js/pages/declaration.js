// One declaration: processing status, polled until it ends, cover facts, counts, parse report,
// its deviations, and for a failed one the error, what to do and the original file.
import { api, ApiError, downloadFile } from '../api.js';
import { facts, fill, freeTextCell, h, table } from '../dom.js';
import { formatBytes, formatDateTime, formatSource, ownerText, statusBadge } from '../format.js';
import { t } from '../i18n.js';

const POLL_INTERVAL_MS = 1000;

export async function renderDeclaration(main, context) {
  const [id] = context.params;
  let declaration;
  try {
    declaration = await api(`/api/declarations/${id}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      fill(main, h('h1', {}, t('decl.notFound')));
      return;
    }
    throw error;
  }

  const statusLine = h('p', { id: 'declaration-status' });
  const body = h('div', { id: 'declaration-body' });
  fill(main, h('h1', {}, declaration.fileName), h('section', { class: 'card', 'aria-labelledby': 'processing-heading' }, h('h2', { id: 'processing-heading' }, t('decl.processingStatus')), statusLine), body);

  const draw = (current) => {
    fill(statusLine, 
      h('span', { class: `badge declaration-${current.status}` }, t(`declstatus.${current.status}`)),
      isRunning(current) ? h('span', { class: 'hint' }, ` ${t('decl.polling')}`) : null,
    );
    body.replaceChildren(...renderBody(current));
  };
  draw(declaration);

  if (!isRunning(declaration)) return;
  let stopped = false;
  let timer = null;
  const poll = async () => {
    if (stopped) return;
    try {
      const next = await api(`/api/declarations/${id}`);
      if (stopped) return;
      if (next.status !== declaration.status) context.announce(t('decl.statusChanged', { status: t(`declstatus.${next.status}`) }));
      declaration = next;
      draw(declaration);
      if (!isRunning(declaration)) return;
    } catch (error) {
      context.announce(t('app.error', { message: error.message }));
    }
    timer = setTimeout(poll, POLL_INTERVAL_MS);
  };
  timer = setTimeout(poll, POLL_INTERVAL_MS);
  context.setCleanup(() => {
    stopped = true;
    clearTimeout(timer);
  });
}

function isRunning(declaration) {
  return declaration.status === 'queued' || declaration.status === 'processing';
}

function renderBody(declaration) {
  const sections = [];
  if (declaration.status === 'failed') sections.push(failureSection(declaration));
  sections.push(fileSection(declaration));
  if (declaration.cover) sections.push(coverSection(declaration));
  if (declaration.requirements) sections.push(countsSection(declaration.requirements));
  if (declaration.parseReport) sections.push(reportSection(declaration.parseReport));
  if (declaration.status === 'parsed') sections.push(deviationsSection(declaration));
  return sections;
}

function card(id, title, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function downloadButton(declaration) {
  if (!declaration.fileUrl) return h('p', {}, t('decl.originalRestricted'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', id: 'download-original' }, t('decl.downloadOriginal', { name: declaration.fileName }));
  button.addEventListener('click', () =>
    downloadFile(declaration.fileUrl, declaration.fileName).catch((failure) => {
      error.textContent = failure.message;
      error.hidden = false;
    }),
  );
  return h('div', {}, button, error);
}

function failureSection(declaration) {
  return h(
    'section',
    { class: 'card failure', 'aria-labelledby': 'failure-heading' },
    h('h2', { id: 'failure-heading' }, t('decl.failedTitle')),
    facts([
      [t('decl.errorCode'), h('code', {}, declaration.error?.code ?? 'unknown')],
      [t('decl.errorMessage'), declaration.error?.message ?? ''],
    ]),
    h('h3', {}, t('decl.whatToDo')),
    h('p', {}, t('decl.whatToDoText')),
    downloadButton(declaration),
  );
}

function fileSection(declaration) {
  return card(
    'file-heading',
    t('decl.facts'),
    facts([
      [t('decl.size'), formatBytes(declaration.sizeBytes)],
      [t('decl.sha'), h('code', { class: 'hash' }, declaration.sha256)],
      [t('decl.received'), formatDateTime(declaration.receivedAt)],
      [t('decl.processed'), declaration.processedAt ? formatDateTime(declaration.processedAt) : null],
      [t('decl.supplier'), declaration.supplier ? `${declaration.supplier.name} (${declaration.supplier.code})` : null],
      [t('decl.system'), declaration.businessSystem?.name],
    ]),
    declaration.status !== 'failed' ? h('h3', {}, t('decl.original')) : null,
    declaration.status !== 'failed' ? downloadButton(declaration) : null,
  );
}

function coverSection(declaration) {
  const cover = declaration.cover;
  const contact = cover.contact ? [cover.contact.name, cover.contact.phone, cover.contact.email].filter(Boolean).join(', ') : t('decl.contactRestricted');
  return card(
    'cover-heading',
    t('decl.cover'),
    facts([
      [t('decl.coverSupplier'), cover.supplier],
      [t('decl.coverOrg'), cover.organisationNumber],
      [t('decl.coverSystem'), cover.system],
      [t('decl.coverVersion'), cover.version],
      [t('decl.coverMunicipality'), cover.municipality],
      [t('decl.coverDate'), cover.date],
      [t('decl.coverContact'), contact],
    ]),
  );
}

function countsSection(counts) {
  const rows = [
    ['answer.met', counts.met],
    ['answer.not-met', counts.notMet],
    ['answer.partially-met', counts.partiallyMet],
    ['answer.not-applicable', counts.notApplicable],
    ['answer.unanswered', counts.unanswered],
  ];
  return card(
    'counts-heading',
    t('decl.counts'),
    table(null, [t('deviation.answer'), t('overview.count')], [
      ...rows.map(([key, count]) => [t(key), String(count)]),
      h('tr', {}, h('th', { scope: 'row' }, t('decl.countTotal')), h('td', {}, String(counts.total))),
    ]),
  );
}

function reportSection(report) {
  const tables = Array.isArray(report.tables) ? report.tables : [];
  const skipped = Array.isArray(report.skipped) ? report.skipped : [];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  const skippedGrids = Array.isArray(report.skippedGrids) ? report.skippedGrids : [];
  return card(
    'report-heading',
    t('decl.report'),
    table(
      t('decl.tables'),
      [t('decl.grid'), t('decl.headerRow'), t('decl.columns'), t('decl.rows')],
      tables.map((entry) => [
        freeTextCell(entry.grid),
        formatSource(entry.headerRow),
        freeTextCell(
          Object.entries(entry.columns ?? {})
            .map(([fieldName, header]) => `${fieldName}: ${header}`)
            .join('; '),
        ),
        String(entry.rows),
      ]),
    ),
    skipped.length === 0
      ? [h('h3', {}, t('decl.skipped')), h('p', {}, t('decl.noSkipped'))]
      : table(t('decl.skipped'), [t('context.location'), t('decl.skippedReason')], skipped.map((entry) => [formatSource(entry.source), freeTextCell(entry.reason)])),
    skippedGrids.length > 0 ? table(t('decl.skippedGrids'), [t('decl.grid'), t('decl.skippedReason')], skippedGrids.map((entry) => [freeTextCell(entry.grid), freeTextCell(entry.reason)])) : null,
    warnings.length > 0 ? [h('h3', {}, t('decl.warnings')), h('ul', {}, warnings.map((warning) => h('li', {}, warning)))] : null,
  );
}

function deviationsSection(declaration) {
  return card(
    'deviations-heading',
    t('decl.deviations'),
    declaration.deviations.length === 0
      ? h('p', {}, t('decl.noDeviations'))
      : table(
          null,
          [t('field.title'), t('deviation.requirement'), t('deviation.status'), t('deviation.owner')],
          declaration.deviations.map((deviation) => [
            freeTextCell(h('a', { href: `#/deviations/${deviation.id}` }, deviation.title)),
            deviation.requirementId ?? '–',
            statusBadge(deviation.status),
            ownerText(deviation),
          ]),
          { class: 'declaration-deviations' },
        ),
  );
}
