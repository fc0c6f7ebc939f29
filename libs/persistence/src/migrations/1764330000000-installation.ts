import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The installation's id, made once: it names this installation's queues when several share one Redis, and
 * stamps its jobs so that a worker of another installation leaves them alone.
 */
export class Installation1764330000000 implements MigrationInterface {
  name = 'Installation1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "installation" ("one" boolean NOT NULL DEFAULT true, "id" uuid NOT NULL,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "installation_one_row" CHECK ("one"), CONSTRAINT "installation_pkey" PRIMARY KEY ("one"))`,
    );
    await queryRunner.query(`INSERT INTO "installation" ("id") VALUES (gen_random_uuid())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "installation"`);
  }
}
