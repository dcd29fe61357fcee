/** Texts of the resident views, Swedish and English (see core.ts). */
import type { Catalog } from './types.ts';

export const sv = {} as const;

export const en: Catalog<typeof sv> = {};
