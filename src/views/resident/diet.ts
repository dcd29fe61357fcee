/**
 * Diet and texture-modified food (NutritionOrder): the diet, the texture, thickened fluids, foods
 * to avoid and supplements, as written. Choking risk makes the texture safety-critical.
 */
import { at, conceptText, list, str } from '../fhir-read.ts';
import { conceptTexts, isVoid, noteTexts, type ResidentResources } from './load.ts';

export interface DietItem {
  readonly id: string;
  readonly diet: string | undefined;
  readonly texture: string | undefined;
  readonly fluid: string | undefined;
  readonly instruction: string | undefined;
  readonly avoid: string | undefined;
  readonly supplements: string | undefined;
  readonly since: string | undefined;
}

export function dietItems(res: ResidentResources): DietItem[] {
  return res
    .byType('NutritionOrder')
    .filter(
      (r) =>
        ['active', 'on-hold', undefined].includes(str(at(r.json, 'status'))) && !isVoid(r.json),
    )
    .map((r): DietItem => {
      const oral = at(r.json, 'oralDiet');
      return {
        id: r.id,
        diet: conceptTexts(at(oral, 'type')),
        texture:
          list(at(oral, 'texture'))
            .map((t) => conceptText(at(t, 'modifier')) ?? conceptText(at(t, 'foodType')))
            .filter(Boolean)
            .join(', ') || undefined,
        fluid: conceptTexts(at(oral, 'fluidConsistencyType')),
        instruction: str(at(oral, 'instruction')) ?? noteTexts(at(r.json, 'note')),
        avoid:
          conceptTexts(at(r.json, 'excludeFoodModifier')) ??
          conceptTexts(at(r.json, 'foodPreferenceModifier')),
        supplements:
          list(at(r.json, 'supplement'))
            .map((s) => {
              const name = str(at(s, 'productName')) ?? conceptText(at(s, 'type'));
              const instruction = str(at(s, 'instruction'));
              return name && instruction ? `${name}: ${instruction}` : (name ?? instruction);
            })
            .filter(Boolean)
            .join('; ') ||
          str(at(r.json, 'enteralFormula', 'baseFormulaProductName')) ||
          undefined,
        since: str(at(r.json, 'dateTime')),
      };
    });
}
