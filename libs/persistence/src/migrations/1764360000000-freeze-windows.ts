import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Change freezes (issue 13): one-off or recurring in a time zone, scoped by tier or service. */
export class FreezeWindows1764360000000 implements MigrationInterface {
  name = 'FreezeWindows1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "freeze_windows" ("id" uuid NOT NULL, "name" text NOT NULL, "reason" text, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rrule" text, "time_zone" text NOT NULL, "scope_tiers" smallint array, "scope_service_ids" uuid array, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "freeze_windows_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "freeze_windows_created_at_id_idx" ON "freeze_windows"  ("created_at", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."freeze_windows_created_at_id_idx"`);
    await queryRunner.query(`DROP TABLE "freeze_windows"`);
  }
}
