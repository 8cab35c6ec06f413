import type { SqlValue } from "./database.ts";

/**
 * The optional filters of a list query: AND-ed conditions and their parameters in order.
 * `where` is the `WHERE ...` clause, or "" when nothing filters.
 */
export class SqlFilter {
  private readonly conditions: string[] = [];
  readonly params: SqlValue[] = [];

  /** A condition with its parameters. */
  add(sql: string, ...values: SqlValue[]): this {
    this.conditions.push(sql);
    this.params.push(...values);
    return this;
  }

  /** `sql` with one `?` for `value`, unless `value` is undefined (no filter). */
  addIf(sql: string, value: SqlValue | undefined): this {
    return value === undefined ? this : this.add(sql, value);
  }

  get where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }
}
