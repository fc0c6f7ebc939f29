import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Logs and traces (issue 15): the request id and W3C traceparent of the work that wrote an outbox row, which
 * its job runs under, and the request id of the work that caused a webhook delivery (sent as X-Request-Id).
 */
export class Correlation1764420000000 implements MigrationInterface {
  name = 'Correlation1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "request_id" text`);
    await queryRunner.query(`ALTER TABLE "outbox" ADD "traceparent" text`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD "request_id" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "request_id"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "traceparent"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "request_id"`);
  }
}
