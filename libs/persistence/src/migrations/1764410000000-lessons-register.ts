import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The continual improvement register (issue 14): the lessons, newest first, read from the audit log. */
export class LessonsRegister1764410000000 implements MigrationInterface {
  name = 'LessonsRegister1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "audit_events_lessons_idx" ON "audit_events" ("at", "deliverable_id", "seq") WHERE action = 'record_lesson'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_lessons_idx"`);
  }
}
