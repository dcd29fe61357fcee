/**
 * Finding a member name that a JSON object repeats: `{"dose": 1, "dose": 10}`.
 *
 * JSON.parse keeps the last of two same-named members, another reader may keep the first, and
 * FHIR's JSON rules allow neither. The station stores such a resource as the journal sent it and
 * flags it (an authentic record is never dropped), so this check runs on every imported line,
 * on the parsing worker, beside JSON.parse: one pass over the text, no second parse.
 *
 * The text must already be valid JSON (JSON.parse accepted it); the scanner then only needs to
 * know where strings start and end, which strings are member names, and where objects begin and
 * end. Names written with escapes (`"\u0064ose"`) are decoded before they are compared.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** The end (index of the closing quote) of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    j = text.indexOf('"', j);
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return j;
    j++;
  }
}

/** The first member name an object in `text` names twice, or undefined when there is none. */
export function firstDuplicateKey(text: string): string | undefined {
  // The names of every open object, innermost last, in one array; `starts` holds where each
  // open object's names begin, or -1 for an open array. Objects in FHIR have few members, so a
  // look back over the current object's names is cheaper than a Set per object.
  const names: string[] = [];
  const starts: number[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (nameNext) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        for (let k = starts[starts.length - 1]!; k < names.length; k++)
          if (names[k] === name) return name;
        names.push(name);
        nameNext = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      starts.push(names.length);
      nameNext = true;
    } else if (c === OPEN_ARRAY) {
      starts.push(-1);
      nameNext = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      const start = starts.pop()!;
      if (start >= 0) names.length = start;
      nameNext = false;
    } else if (c === COMMA) {
      nameNext = starts[starts.length - 1]! >= 0;
    }
  }
  return undefined;
}

/**
 * A cheap proof that no object in `text` names a member twice, given `members`, the number of
 * members JSON.parse produced (its objects' own keys, counted over the whole tree). True only
 * when the proof holds; false means "maybe": run `firstDuplicateKey`.
 *
 * The proof: in valid JSON a member's name is a string followed by optional white space and a
 * colon, and nothing else is (a value string is followed by `,`, `}`, `]` or white space). If
 * no name is followed by white space before its colon, every member contributes exactly one
 * `":` to the text, and the only other `":` can come from an escaped quote inside a string.
 * So the count of `":` is at least the number of members written, which is at least the number
 * JSON.parse kept (repeats collapse into one). Equal counts therefore mean nothing was repeated.
 * Compact JSON, which is what exports are, passes in one `indexOf` sweep; the full scan costs
 * several times more.
 */
export function noRepeatedMembers(text: string, members: number): boolean {
  if (/"\s+:/.test(text)) return false;
  let count = 0;
  for (let at = text.indexOf('":'); at !== -1; at = text.indexOf('":', at + 2)) count++;
  return count === members;
}
