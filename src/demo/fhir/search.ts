/**
 * The test FHIR server's search answers: FHIR search with paging
 * (https://hl7.org/fhir/R4/http.html#paging), `_count` honoured and our own `_offset` in the next
 * link, which the client must treat as opaque. The first page also carries an `include` and an
 * `outcome` entry, which a client must not take for results.
 */

export function outcome(code: string, diagnostics: string): string {
  return JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics }],
  });
}

export function searchPage(
  all: string[] | undefined,
  type: string,
  q: URLSearchParams,
  origin: string,
  nextOrigin: string,
): { status: number; body: string } {
  if (all === undefined) return { status: 404, body: outcome('not-supported', 'unknown type') };
  const count = Math.max(1, Number(q.get('_count') ?? 50));
  const offset = Number(q.get('_offset') ?? 0);
  const entries = all.slice(offset, offset + count).map((line) => {
    const id = (JSON.parse(line) as { id: string }).id;
    return `{"fullUrl":"${origin}/fhir/${type}/${id}","resource":${line},"search":{"mode":"match"}}`;
  });
  if (offset === 0) {
    entries.push(
      `{"resource":{"resourceType":"Organization","id":"included-only"},"search":{"mode":"include"}}`,
      `{"resource":${outcome('informational', 'page 1')},"search":{"mode":"outcome"}}`,
    );
  }
  const links = [
    `{"relation":"self","url":"${origin}/fhir/${type}?_count=${count}&_offset=${offset}"}`,
  ];
  if (offset + count < all.length)
    links.push(
      `{"relation":"next","url":"${nextOrigin}/fhir/${type}?_count=${count}&_offset=${offset + count}"}`,
    );
  return {
    status: 200,
    body: `{"resourceType":"Bundle","type":"searchset","total":${all.length},"link":[${links.join(',')}],"entry":[${entries.join(',')}]}`,
  };
}
