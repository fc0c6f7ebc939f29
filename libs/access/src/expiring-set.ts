/**
 * A set whose members expire `ttlMs` after they were added and which holds at most `max` of them (the
 * oldest go first). For short-lived, per-process memories such as "this token was unknown a moment ago".
 */
export class ExpiringSet {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  add(member: string): void {
    this.until.delete(member);
    this.until.set(member, this.now() + this.ttlMs);
    while (this.until.size > this.max) this.until.delete(this.until.keys().next().value!);
  }

  has(member: string): boolean {
    const until = this.until.get(member);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(member);
    return false;
  }

  delete(member: string): void {
    this.until.delete(member);
  }

  get size(): number {
    return this.until.size;
  }
}
