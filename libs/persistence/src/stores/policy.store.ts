import { type Sql } from '../sql.js';

export interface PolicyRow {
  tier: number;
  policy: unknown;
  updatedBy: string | null;
  updatedAt: Date;
}

export class PolicyStore {
  constructor(private readonly sql: Sql) {}

  async get(tier: number): Promise<PolicyRow | null> {
    const rows: PolicyRow[] = await this.sql.query(
      `SELECT tier, policy, updated_by AS "updatedBy", updated_at AS "updatedAt" FROM policies WHERE tier = $1`,
      [tier],
    );
    return rows[0] ?? null;
  }

  async put(row: PolicyRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO policies (tier, policy, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tier) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at`,
      [row.tier, JSON.stringify(row.policy), row.updatedBy, row.updatedAt],
    );
  }
}
