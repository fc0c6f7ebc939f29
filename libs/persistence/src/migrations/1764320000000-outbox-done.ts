import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When the job of an outbox row finished (`done_at`): rows published but not finished are the jobs Redis
 * holds, so a Redis that lost its data can be given them again. Finished rows are purged after a day.
 */
export class OutboxDone1764320000000 implements MigrationInterface {
  name = 'OutboxDone1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "done_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "outbox_unfinished_idx" ON "outbox"  ("created_at", "id") WHERE published_at IS NOT NULL AND done_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_done_idx" ON "outbox"  ("done_at") WHERE done_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_done_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_unfinished_idx"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "done_at"`);
  }
}
