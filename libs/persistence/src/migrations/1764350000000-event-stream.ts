import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The live event stream (`GET /v1/events`) reads event rows of the outbox in the order their transactions
 * were given ids (`txid`, the column's default: every statement that writes outbox rows fills it), and only
 * below the oldest transaction still running: a row committed late can never fall behind a position already
 * served. Rows written before this migration get 0 (before every later one).
 */
export class EventStream1764350000000 implements MigrationInterface {
  name = 'EventStream1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The transaction's id as a bigint (xid8 fits, and TypeORM knows no xid8).
    await queryRunner.query(`CREATE FUNCTION baton_transaction_id() RETURNS bigint LANGUAGE sql VOLATILE
      AS $$ SELECT pg_current_xact_id()::text::bigint $$`);
    await queryRunner.query(`ALTER TABLE "outbox" ADD "txid" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "outbox" ALTER COLUMN "txid" SET DEFAULT baton_transaction_id()`);
    await queryRunner.query(
      `CREATE INDEX "outbox_events_idx" ON "outbox" ("txid", "id") WHERE job_name = 'deliver-event'::text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_events_idx"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "txid"`);
    await queryRunner.query(`DROP FUNCTION baton_transaction_id()`);
  }
}
