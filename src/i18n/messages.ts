/**
 * The station's user-interface text. Swedish is the default; English is the second language,
 * chosen per browser with the language switch in the page header. Every string shown to a
 * person comes from the catalogue parts in ./catalog, each holding both languages.
 */
import * as changes from './catalog/changes.ts';
import * as core from './catalog/core.ts';
import * as errors from './catalog/errors.ts';
import type { ErrorTexts } from './catalog/errors.ts';
import * as print from './catalog/print.ts';
import * as resident from './catalog/resident.ts';
import * as status from './catalog/status.ts';
import type { Catalog } from './catalog/types.ts';
import * as unit from './catalog/unit.ts';

export const LANGS = ['sv', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const sv = {
  ...core.sv,
  ...resident.sv,
  ...unit.sv,
  ...changes.sv,
  ...print.sv,
  ...status.sv,
} as const;
export type Messages = Catalog<typeof sv>;
export const en: Messages = {
  ...core.en,
  ...resident.en,
  ...unit.en,
  ...changes.en,
  ...print.en,
  ...status.en,
};

export function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

export function messagesFor(lang: Lang): Messages {
  return lang === 'en' ? en : sv;
}

export function errorTexts(lang: Lang): ErrorTexts {
  return lang === 'en' ? errors.en : errors.sv;
}
