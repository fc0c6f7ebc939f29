import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Calendar feed tokens (issue 14): a principal's read-only token for GET /v1/calendar.ics, kept as a hash
 * beside its API token. A new one replaces the old; revoking the principal ends both.
 */
export class FeedTokens1764400000000 implements MigrationInterface {
  name = 'FeedTokens1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "principals" ADD "feed_token_hash" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "principals_feed_token_hash_key" ON "principals"  ("feed_token_hash") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."principals_feed_token_hash_key"`);
    await queryRunner.query(`ALTER TABLE "principals" DROP COLUMN "feed_token_hash"`);
  }
}
