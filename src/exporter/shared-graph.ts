/**
 * The resources that belong to no person (staff, roles, places, medicines, organisations, a
 * device not given to anyone) and the links between them, held as numbers (see keyHash), so that
 * the partitioner can decide per station which of them its copy needs without holding any file.
 *
 * A station's copy gets a shared resource when one of its included resources points at it
 * (directly or through other shared resources: a role names its practitioner, a room is part of
 * a ward's place, a ward is part of a home), or when it belongs to an Organization the copy
 * includes (a PractitionerRole's `organization`, a Location's `managingOrganization`, a
 * HealthcareService's `providedBy`, an Endpoint's `managingOrganization`): the staff and places
 * of the station's own units, and of the organisations its people are referred to.
 */
import { keyHash } from './references.ts';

/** Which field names the Organization a shared resource belongs to. */
export const OWNER_FIELD: Readonly<Record<string, string>> = {
  PractitionerRole: 'organization',
  Location: 'managingOrganization',
  HealthcareService: 'providedBy',
  Endpoint: 'managingOrganization',
};

export class SharedGraph {
  private readonly links = new Map<number, number[]>();
  private readonly owned = new Map<number, number[]>();
  private readonly organizations = new Set<number>();

  get size(): number {
    return this.links.size;
  }

  has(hash: number): boolean {
    return this.links.has(hash);
  }

  /** Record a shared resource `key` pointing at `refs`, owned by the Organization key `owner`. */
  add(key: string, refs: readonly string[], owner: string | undefined): void {
    const hash = keyHash(key);
    this.links.set(
      hash,
      refs.map((r) => keyHash(r)),
    );
    if (key.startsWith('Organization/')) this.organizations.add(hash);
    if (owner !== undefined) {
      const o = keyHash(owner);
      const list = this.owned.get(o);
      if (list) list.push(hash);
      else this.owned.set(o, [hash]);
    }
  }

  /**
   * Every shared resource reachable from `seeds` by references and by Organization ownership.
   * Seeds that are not shared resources (a person's own records) are ignored; the walk visits
   * each shared resource once, so its cost is the size of the station's share, not of the graph.
   */
  closure(seeds: Iterable<number>): Set<number> {
    const included = new Set<number>();
    const todo: number[] = [];
    for (const s of seeds)
      if (this.links.has(s) && !included.has(s)) {
        included.add(s);
        todo.push(s);
      }
    while (todo.length > 0) {
      const hash = todo.pop()!;
      const next = [...(this.links.get(hash) ?? [])];
      if (this.organizations.has(hash)) next.push(...(this.owned.get(hash) ?? []));
      for (const n of next)
        if (this.links.has(n) && !included.has(n)) {
          included.add(n);
          todo.push(n);
        }
    }
    return included;
  }
}
