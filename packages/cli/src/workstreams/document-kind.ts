import path from 'node:path';

const TEMPLATE_NAME = /(?:^|[-_. ])template(?:$|[-_. ])/i;
const REPORT_WORD = String.raw`(?:self[-_ ]?report|report|summary|checklist|handoff|hand-off|retrospective|retro|findings)`;
const REPORT_NAME = new RegExp(String.raw`(?:^|[-_. ])${REPORT_WORD}$|^${REPORT_WORD}(?:$|[-_. ])`, 'i');
const REPORT_TITLE = new RegExp(String.raw`\b${REPORT_WORD}\b\W*$|^\W*${REPORT_WORD}\b`, 'i');
const REPORT_KIND = new RegExp(String.raw`^${REPORT_WORD}$|^(?:review|notes?|uat|verification)$`, 'i');

/** `TEMPLATE.md`, `ws-template.md`: a file to copy, never a workstream, whatever it declares. */
export function isTemplateFile(file: string): boolean {
  return TEMPLATE_NAME.test(path.basename(file, path.extname(file)));
}

/** A front matter `type:`/`kind:` that says the file is about a workstream, not one (`report`, `summary`). */
export function isReportKind(kind: string): boolean {
  return REPORT_KIND.test(kind.trim());
}

/**
 * Whether a file that names a workstream id reads like a file *about* it: a self-report, a
 * summary, a checklist, by its name (`00-041-01-report.md`, `SUMMARY-00-041-01.md`) or its title
 * (`# 00-041-01: Completion report`). Such a file is never a second declaration of the id; it
 * declares the workstream only when no other file does.
 */
export function looksLikeReport(file: string, title: string | undefined): boolean {
  return REPORT_NAME.test(path.basename(file, path.extname(file))) || (title !== undefined && REPORT_TITLE.test(title));
}
