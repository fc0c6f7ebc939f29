import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Principals, the service catalogue, projects, deliverables with their handover snapshot, the audit chain and the outbox. */
export class Init1764270000000 implements MigrationInterface {
  name = 'Init1764270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "projects" ("id" uuid NOT NULL, "key" text NOT NULL, "name" text NOT NULL, "methodology" text NOT NULL, "manager_name" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "projects_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "projects_key_key" ON "projects"  ("key") `);
    await queryRunner.query(`CREATE INDEX "projects_created_at_id_idx" ON "projects"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "services" ("id" uuid NOT NULL, "name" text NOT NULL, "tier" smallint NOT NULL, "owner_name" text, "support_group" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "services_tier_check" CHECK (tier BETWEEN 1 AND 4), CONSTRAINT "services_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "services_created_at_id_idx" ON "services"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "deliverables" ("id" uuid NOT NULL, "project_id" uuid NOT NULL, "service_id" uuid NOT NULL, "title" text NOT NULL, "description" text, "change_type" text NOT NULL, "target_go_live" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "snapshot" jsonb NOT NULL, "machine_version" integer NOT NULL, "version" integer NOT NULL, "submitted_by" uuid, "created_by" uuid, "audit_seq" integer NOT NULL, "audit_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "deliverables_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "deliverables_status_idx" ON "deliverables"  ("status") `);
    await queryRunner.query(`CREATE INDEX "deliverables_service_id_idx" ON "deliverables"  ("service_id") `);
    await queryRunner.query(`CREATE INDEX "deliverables_project_id_idx" ON "deliverables"  ("project_id") `);
    await queryRunner.query(
      `CREATE INDEX "deliverables_created_at_id_idx" ON "deliverables"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("deliverable_id" uuid NOT NULL, "seq" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "principal_id" uuid, "action" text NOT NULL, "from_status" text, "to_status" text NOT NULL, "data" jsonb NOT NULL, "prev_hash" text, "hash" text NOT NULL, CONSTRAINT "audit_events_pkey" PRIMARY KEY ("deliverable_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox" ("id" uuid NOT NULL, "deliverable_id" uuid, "queue" text NOT NULL, "job_name" text NOT NULL, "payload" jsonb NOT NULL, "run_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_unpublished_idx" ON "outbox"  ("created_at") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "principals" ("id" uuid NOT NULL, "name" text NOT NULL, "roles" text array NOT NULL, "token_hash" text NOT NULL, "email" text, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "principals_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "principals_token_hash_key" ON "principals"  ("token_hash") `,
    );
    await queryRunner.query(
      `ALTER TABLE "deliverables" ADD CONSTRAINT "deliverables_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "deliverables" ADD CONSTRAINT "deliverables_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_deliverable_id_fkey" FOREIGN KEY ("deliverable_id") REFERENCES "deliverables"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Room on each page for HOT updates: every command rewrites the row, never an indexed column.
    await queryRunner.query(`ALTER TABLE "deliverables" SET (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_deliverable_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "deliverables" DROP CONSTRAINT "deliverables_service_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "deliverables" DROP CONSTRAINT "deliverables_project_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."principals_token_hash_key"`);
    await queryRunner.query(`DROP TABLE "principals"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_unpublished_idx"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."deliverables_created_at_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliverables_project_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliverables_service_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliverables_status_idx"`);
    await queryRunner.query(`DROP TABLE "deliverables"`);
    await queryRunner.query(`DROP INDEX "public"."services_created_at_id_idx"`);
    await queryRunner.query(`DROP TABLE "services"`);
    await queryRunner.query(`DROP INDEX "public"."projects_created_at_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."projects_key_key"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
