import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { z } from 'zod';
import { Responds } from './responds.decorator.js';
import { toOpenApiSchema, toSerializerSchema } from './json-schema.js';

const thing = z
  .object({
    id: z.string(),
    count: z.number().int(),
    note: z.string().nullable(),
    window: z.object({ start: z.string() }).nullable(),
    data: z.record(z.string(), z.unknown()),
    tag: z.string().optional(),
  })
  .meta({ id: 'SpecThing' });

let served: unknown;

@Controller('things')
class ThingsController {
  @Get()
  @Responds(200, 'A thing', thing)
  get(): z.input<typeof thing> {
    return served as z.input<typeof thing>;
  }

  @Get('missing')
  @Responds(200, 'A thing', thing)
  missing(): z.input<typeof thing> {
    throw new NotFoundException('no such thing');
  }
}

@Module({ controllers: [ThingsController] })
class SpecModule {}

let app: NestFastifyApplication;
let url: string;

beforeAll(async () => {
  app = await NestFactory.create<NestFastifyApplication>(SpecModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
});

afterAll(async () => {
  await app.close();
});

// A real socket: Fastify's inject loads an ESM-only module that Jest cannot require on Node 20.
async function get(path: string): Promise<{ statusCode: number; json: () => unknown }> {
  const response = await fetch(url + path);
  const text = await response.text();
  return { statusCode: response.status, json: () => JSON.parse(text) as unknown };
}

describe('Responds', () => {
  it('lets Fastify serialise with the schema: what it does not name is not sent', async () => {
    served = {
      id: 'a',
      count: 2,
      note: null,
      window: { start: 'now', extra: true },
      data: { nested: [1, { deep: null }] },
      secret: 'never sent',
    };
    const response = await get('/things');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 'a',
      count: 2,
      note: null,
      window: { start: 'now' },
      data: { nested: [1, { deep: null }] },
    });
  });

  it('answers a fault, not a body without a required member', async () => {
    served = { id: 'a', note: null, window: null, data: {} };
    expect((await get('/things')).statusCode).toBe(500);
  });

  it('leaves errors to the default serialisation', async () => {
    const response = await get('/things/missing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, message: 'no such thing' });
  });
});

describe('the conversions', () => {
  it('names a schema with an id as a component and refers to it', () => {
    const page = z.object({ items: z.array(thing) });
    const { schema, components } = toOpenApiSchema(page, 'output');
    expect(schema).toMatchObject({
      properties: { items: { items: { $ref: '#/components/schemas/SpecThing' } } },
    });
    expect(components.SpecThing).toMatchObject({ type: 'object', additionalProperties: false });
    expect(JSON.stringify(components)).not.toContain('"nullable"');
  });

  it('gives the serializer a schema that stands alone, X-or-null as a type list, open objects', () => {
    const schema = toSerializerSchema(thing) as {
      properties: Record<string, Record<string, unknown>>;
      additionalProperties?: unknown;
    };
    expect(JSON.stringify(schema)).not.toContain('$ref');
    expect(schema.additionalProperties).toBeUndefined();
    expect(schema.properties.note).toEqual({ type: ['string', 'null'] });
    expect(schema.properties.window).toMatchObject({ type: ['object', 'null'], required: ['start'] });
    expect(schema.properties.window.additionalProperties).toBeUndefined();
    expect(schema.properties.data).toMatchObject({ type: 'object', additionalProperties: {} });
  });
});
