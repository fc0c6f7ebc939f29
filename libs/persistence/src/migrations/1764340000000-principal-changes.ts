import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every change to a principal (revoked, token rotated, roles refreshed, deleted) is announced on the channel
 * `baton_principals` with the token hash it had: each process forgets the principal it remembers for that
 * token at once, so a process may keep authenticated principals in memory without delaying a revocation.
 */
export class PrincipalChanges1764340000000 implements MigrationInterface {
  name = 'PrincipalChanges1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION baton_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('baton_principals', OLD.token_hash);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER principals_changed AFTER UPDATE OR DELETE ON "principals" FOR EACH ROW EXECUTE FUNCTION baton_principal_changed()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER principals_changed ON "principals"`);
    await queryRunner.query(`DROP FUNCTION baton_principal_changed()`);
  }
}
