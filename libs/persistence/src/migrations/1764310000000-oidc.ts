import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Principals that sign in with OpenID Connect: their issuer and subject, one principal per pair. */
export class Oidc1764310000000 implements MigrationInterface {
  name = 'Oidc1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "principals" ADD "oidc_issuer" text`);
    await queryRunner.query(`ALTER TABLE "principals" ADD "oidc_subject" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "principals_oidc_key" ON "principals"  ("oidc_issuer", "oidc_subject") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."principals_oidc_key"`);
    await queryRunner.query(`ALTER TABLE "principals" DROP COLUMN "oidc_subject"`);
    await queryRunner.query(`ALTER TABLE "principals" DROP COLUMN "oidc_issuer"`);
  }
}
