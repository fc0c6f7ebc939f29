import { type Sql } from '../sql.js';

export interface EvidenceKeyRow {
  kid: string;
  x: string;
  /** PKCS#8 PEM; null for a key given by BATON_EVIDENCE_KEY (only its public half is kept). */
  privateKey: string | null;
  createdAt: Date;
  activatedAt: Date;
}

export interface NewEvidenceKey {
  kid: string;
  x: string;
  privateKey: string | null;
}

/** Any number taken at random: processes starting together on one database agree on one key. */
const EVIDENCE_KEY_LOCK = 2_903_118_427;

const COLUMNS = `kid, x, private_key AS "privateKey", created_at AS "createdAt", activated_at AS "activatedAt"`;

export class EvidenceKeyStore {
  constructor(private readonly sql: Sql) {}

  /** Every key ever used, the most recently activated first. */
  async all(): Promise<EvidenceKeyRow[]> {
    return this.sql.query(`SELECT ${COLUMNS} FROM evidence_keys ORDER BY activated_at DESC, kid`);
  }

  /**
   * The key this installation made, made now (from `make`) if it has none. Processes starting at once
   * take an advisory lock in turn, so the second finds the first one's key: one key, whoever comes first.
   */
  async generated(make: () => NewEvidenceKey): Promise<EvidenceKeyRow> {
    return this.sql.transaction(async (query) => {
      await query('SELECT pg_advisory_xact_lock($1)', [EVIDENCE_KEY_LOCK]);
      const [found] = await query<EvidenceKeyRow>(
        `UPDATE evidence_keys SET activated_at = now()
         WHERE kid = (SELECT kid FROM evidence_keys WHERE private_key IS NOT NULL
                      ORDER BY created_at DESC, kid LIMIT 1)
         RETURNING ${COLUMNS}`,
      );
      if (found) return found;
      const key = make();
      const [made] = await query<EvidenceKeyRow>(
        `INSERT INTO evidence_keys (kid, x, private_key) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [key.kid, key.x, key.privateKey],
      );
      return made;
    });
  }

  /** Records a key given from outside (its public half), or marks it activated again if known. */
  async given(key: NewEvidenceKey): Promise<EvidenceKeyRow> {
    const [row] = await this.sql.query<EvidenceKeyRow>(
      `INSERT INTO evidence_keys (kid, x, private_key) VALUES ($1, $2, $3)
       ON CONFLICT (kid) DO UPDATE SET activated_at = now()
       RETURNING ${COLUMNS}`,
      [key.kid, key.x, key.privateKey],
    );
    return row;
  }
}
