/** A catalogue in another language has the same keys as the Swedish one, any text as values. */
export type Catalog<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : Catalog<T[K]>;
};
