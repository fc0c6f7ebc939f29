import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Timers of one item (issue 13): the criterion an attestation_expiry timer expires, the action an action_due one is about. */
export class TimerSubject1764370000000 implements MigrationInterface {
  name = 'TimerSubject1764370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timers" ADD "subject" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timers" DROP COLUMN "subject"`);
  }
}
