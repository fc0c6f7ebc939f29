import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Delegation, out of office (issue 13): a principal lends approver roles to another for a bounded time. */
export class Delegations1764380000000 implements MigrationInterface {
  name = 'Delegations1764380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delegations" ("id" uuid NOT NULL, "principal_id" uuid NOT NULL, "delegate_id" uuid NOT NULL, "roles" text array NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" uuid, CONSTRAINT "delegations_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "delegations_delegate_id_created_at_id_idx" ON "delegations"  ("delegate_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "delegations_principal_id_created_at_id_idx" ON "delegations"  ("principal_id", "created_at", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."delegations_principal_id_created_at_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."delegations_delegate_id_created_at_id_idx"`);
    await queryRunner.query(`DROP TABLE "delegations"`);
  }
}
