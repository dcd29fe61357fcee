/**
 * Small readers for FHIR JSON parsed with parseExact: they never throw on odd data, they return
 * undefined or an empty list, so a view shows what is there instead of failing.
 */
import { ExactNumber, type ExactJson } from '../core/exact-json.ts';

export type Node = ExactJson | undefined;
export type Obj = { [key: string]: ExactJson };

export function obj(v: Node): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof ExactNumber)
    ? v
    : undefined;
}

export function list(v: Node): ExactJson[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: Node): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A number exactly as written in the source ("0.010" stays "0.010"). */
export function num(v: Node): string | undefined {
  if (v instanceof ExactNumber) return v.text;
  return undefined;
}

export function bool(v: Node): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function at(v: Node, ...keys: (string | number)[]): Node {
  let cur: Node = v;
  for (const k of keys) {
    if (typeof k === 'number') cur = list(cur)[k];
    else cur = obj(cur)?.[k];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Text of a CodeableConcept: its text, else the first coding's display, else its code. */
export function conceptText(v: Node): string | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const coding = obj(list(o.coding)[0]);
  return str(o.text) ?? str(coding?.display) ?? str(coding?.code);
}

export function code(v: Node, system?: string): string | undefined {
  for (const c of list(obj(v)?.coding)) {
    const co = obj(c);
    if (system === undefined || str(co?.system) === system) return str(co?.code);
  }
  return undefined;
}

export function extension(v: Node, urlSuffix: string): Obj | undefined {
  for (const e of list(obj(v)?.extension)) {
    const eo = obj(e);
    if (str(eo?.url)?.endsWith(urlSuffix)) return eo;
  }
  return undefined;
}

/** A Quantity as "2 tablett", with the number's digits exactly as written. */
export function quantity(v: Node): string | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const value = num(o.value);
  if (value === undefined) return undefined;
  const unit = str(o.unit) ?? str(o.code);
  return unit ? `${value} ${unit}` : value;
}

export function refId(v: Node, type: string): string | undefined {
  const r = str(obj(v)?.reference);
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
}
