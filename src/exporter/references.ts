/**
 * The references inside one FHIR resource, as the partitioner needs them: every
 * `{"reference": "Type/id"}` anywhere in the resource (subject, patient, participant.actor,
 * extension valueReference, …), reduced to the key `Type/id`. Absolute references to a FHIR
 * server (`https://…/fhir/Patient/123`, with or without `/_history/n`) reduce to the same key;
 * contained (`#x`) and `urn:uuid:` references name nothing in the export and are skipped.
 * See https://hl7.org/fhir/R4/references.html#Reference.
 */

// Type/id at the end of a reference, optionally followed by a version.
const TAIL = /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

export function referenceKey(reference: string): string | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  const m = TAIL.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Every distinct reference key in `resource`; walks without recursion (nesting may be deep). */
export function referencesOf(resource: unknown): string[] {
  const found: string[] = [];
  // Most resources name a handful; a Group may name thousands, then a Set keeps this linear.
  let seen: Set<string> | undefined;
  const stack: unknown[] = [resource];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    // for…in over a parsed JSON object: own keys only, and no array of entries per object
    // (this walk runs on every line of the export).
    const obj = node as Record<string, unknown>;
    for (const key in obj) {
      const value = obj[key];
      if (typeof value === 'object') {
        if (value !== null) stack.push(value);
      } else if (key === 'reference' && typeof value === 'string') {
        const ref = referenceKey(value);
        if (ref === undefined) continue;
        if (seen === undefined && found.length >= 16) seen = new Set(found);
        if (seen ? seen.has(ref) : found.includes(ref)) continue;
        found.push(ref);
        seen?.add(ref);
      }
    }
  }
  return found;
}

/**
 * A 53-bit hash of a reference key, so that the sets of keys an included resource points at cost
 * a number each instead of a string. Two keys that collide can only make a shared resource
 * (staff, place, medicine: never a person's data) appear in a station's copy by mistake, because
 * patient membership is decided on exact ids; with 10⁶ keys pointed at and 10⁴ shared resources
 * the chance of one extra staff or place record is about one in a million runs.
 */
export function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
