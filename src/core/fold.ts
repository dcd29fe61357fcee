/**
 * Folding text for search: lower case, diacritics removed, so "asa" finds "Åsa" and "sjoberg"
 * finds "Sjöberg". SQLite here has no ICU, so `lower()` and `LIKE` would miss å/ä/ö: names are
 * folded in JavaScript when they are stored and queries are folded the same way.
 */

const EXTRA: Record<string, string> = { ø: 'o', æ: 'ae', ß: 'ss', đ: 'd', ł: 'l', œ: 'oe' };

export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæßđłœ]/g, (c) => EXTRA[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}
