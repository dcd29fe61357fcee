/**
 * Journal notes of the last seven days (DocumentReference with inline text), newest first, each
 * marked with its record regime: SoL (social documentation) or HSL (health care). Text is
 * decoded from the attachment and shown as plain text, whatever its content type says: the
 * station never renders markup from the journal.
 */
import { at, conceptText, list, str, type Node } from '../fhir-read.ts';
import { isVoid, regimeOf, type ResidentResources } from './load.ts';

export interface NoteItem {
  readonly date: string | undefined;
  /** "SoL", "HSL", another regime code, or undefined when the note carries none. */
  readonly regime: string | undefined;
  /** The note's kind as written (DocumentReference.type). */
  readonly kind?: string | undefined;
  /** Empty when the copy holds no inline text for the note. */
  readonly text: string;
}

const WEEK_MS = 7 * 24 * 3600_000;

function decodeAttachment(v: Node): string {
  const data = str(at(v, 'data'));
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return '';
}

export function recentNotes(res: ResidentResources, now: Date): NoteItem[] {
  const weekAgo = now.getTime() - WEEK_MS;
  return res
    .byType('DocumentReference')
    .filter((r) => !isVoid(r.json) && str(at(r.json, 'status')) !== 'superseded')
    .map((r): NoteItem => ({
      date: str(at(r.json, 'date')),
      regime: regimeOf(at(r.json, 'category')),
      kind: conceptText(at(r.json, 'type')),
      text:
        list(at(r.json, 'content'))
          .map((c) => decodeAttachment(at(c, 'attachment')))
          .filter(Boolean)
          .join('\n') ||
        str(at(r.json, 'description')) ||
        '',
    }))
    .filter((n) => {
      // A note whose date the copy cannot read is shown rather than silently dropped.
      const t = n.date === undefined ? NaN : Date.parse(n.date);
      return Number.isNaN(t) || t >= weekAgo;
    })
    .sort((a, b) => (Date.parse(b.date ?? '') || 0) - (Date.parse(a.date ?? '') || 0));
}
