import { describe, expect, it } from 'vitest';
import { foldForSearch } from './fold.ts';

describe('foldForSearch', () => {
  it('removes Swedish diacritics and case so "asa" matches "Åsa" and "sjoberg" matches "Sjöberg"', () => {
    expect(foldForSearch('Åsa')).toBe('asa');
    expect(foldForSearch('SJÖBERG')).toBe('sjoberg');
    expect(foldForSearch('Ängquist Märta')).toBe('angquist marta');
  });

  it('folds decomposed letters (combining marks) the same as precomposed ones', () => {
    expect(foldForSearch('A\u030asa Lo\u0308vgren')).toBe(foldForSearch('Åsa Lövgren'));
  });

  it('maps letters without a decomposition and collapses white space', () => {
    expect(foldForSearch('Østergaard  Kovačević')).toBe('ostergaard kovacevic');
  });
});
