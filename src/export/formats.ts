/** The file formats of an export, apart from the exporter so that a command's options can name them cheaply. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
