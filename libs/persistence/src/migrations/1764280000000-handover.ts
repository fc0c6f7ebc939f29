import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Policies per tier, versioned checklist templates, criteria as rows, durable timers, the approvers' inbox. */
export class Handover1764280000000 implements MigrationInterface {
  name = 'Handover1764280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "checklist_templates" ("id" uuid NOT NULL, "name" text NOT NULL, "version" integer NOT NULL, "change_types" text array NOT NULL, "tiers" smallint array NOT NULL, "criteria" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "checklist_templates_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "checklist_templates_created_at_id_idx" ON "checklist_templates"  ("created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "checklist_templates_name_version_key" ON "checklist_templates"  ("name", "version")`,
    );
    await queryRunner.query(
      `CREATE TABLE "deliverable_criteria" ("deliverable_id" uuid NOT NULL, "key" text NOT NULL, "title" text NOT NULL, "practice" text NOT NULL, "mandatory" boolean NOT NULL, "kind" text NOT NULL, "status" text NOT NULL, "evidence" text, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "deliverable_criteria_pkey" PRIMARY KEY ("deliverable_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "policies" ("tier" smallint NOT NULL, "policy" jsonb NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "policies_tier_check" CHECK (tier BETWEEN 1 AND 4), CONSTRAINT "policies_pkey" PRIMARY KEY ("tier"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "timers" ("id" uuid NOT NULL, "deliverable_id" uuid NOT NULL, "kind" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "period" integer, "repeat_every" text, "before" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "timers_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "timers_scheduled_due_at_idx" ON "timers"  ("due_at") WHERE status = 'scheduled'`,
    );
    await queryRunner.query(`CREATE INDEX "timers_deliverable_id_idx" ON "timers"  ("deliverable_id")`);
    await queryRunner.query(`ALTER TABLE "deliverables" ADD "checklist_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "deliverables" ADD "awaiting_roles" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "deliverable_criteria" ADD CONSTRAINT "deliverable_criteria_deliverable_id_fkey" FOREIGN KEY ("deliverable_id") REFERENCES "deliverables"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliverables_awaiting_roles_idx" ON "deliverables" USING gin ("awaiting_roles")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."deliverables_awaiting_roles_idx"`);
    await queryRunner.query(
      `ALTER TABLE "deliverable_criteria" DROP CONSTRAINT "deliverable_criteria_deliverable_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "deliverables" DROP COLUMN "awaiting_roles"`);
    await queryRunner.query(`ALTER TABLE "deliverables" DROP COLUMN "checklist_id"`);
    await queryRunner.query(`DROP TABLE "timers"`);
    await queryRunner.query(`DROP TABLE "policies"`);
    await queryRunner.query(`DROP TABLE "deliverable_criteria"`);
    await queryRunner.query(`DROP TABLE "checklist_templates"`);
  }
}
