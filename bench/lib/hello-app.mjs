// The limit for reads: a bare NestJS application on the same adapter as Baton (@nestjs/platform-fastify),
// one controller answering GET /hello with a small JSON body. With DATABASE_URL it also answers
// GET /row/:id with one deliverables row read by primary key through a `pg` pool (a reference: the
// cheapest GET that reads the row at all). Decorators are applied by hand (plain ESM).
// Prints "ready <url>" once it listens.
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import pg from 'pg';

const pool = process.env.DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-hello' })
  : null;

class HelloController {
  hello() {
    return { hello: 'world' };
  }

  async row(id) {
    const { rows } = await pool.query({
      name: 'row',
      text: `SELECT id, status, version, title, snapshot, updated_at FROM deliverables WHERE id = $1`,
      values: [id],
    });
    return rows[0];
  }
}
Controller()(HelloController);
const method = (name) => Object.getOwnPropertyDescriptor(HelloController.prototype, name);
Get('hello')(HelloController.prototype, 'hello', method('hello'));
Get('row/:id')(HelloController.prototype, 'row', method('row'));
Param('id')(HelloController.prototype, 'row', 0);

class HelloModule {}
Module({ controllers: [HelloController] })(HelloModule);

const app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
process.stdout.write(`ready ${await app.getUrl()}\n`);
const stop = async () => {
  await app.close();
  await pool?.end();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
