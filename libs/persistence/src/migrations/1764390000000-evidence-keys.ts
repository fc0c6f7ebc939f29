import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Signed evidence packs (issue 14): the Ed25519 keys that sign them, every one ever used. */
export class EvidenceKeys1764390000000 implements MigrationInterface {
  name = 'EvidenceKeys1764390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_keys" ("kid" text NOT NULL, "x" text NOT NULL, "private_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "evidence_keys_pkey" PRIMARY KEY ("kid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "evidence_keys_activated_at_idx" ON "evidence_keys"  ("activated_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."evidence_keys_activated_at_idx"`);
    await queryRunner.query(`DROP TABLE "evidence_keys"`);
  }
}
