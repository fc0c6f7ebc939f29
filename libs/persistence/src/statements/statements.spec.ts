import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INSERT_DELIVERABLE, LOAD_DELIVERABLE, SAVE_DELIVERABLE } from './deliverable.sql.js';
import { APPEND_OUTBOX } from './outbox.sql.js';

// The statements the command path runs, kept as reviewable files (libs/persistence/sql/): a change to one
// shows in the diff, and this test fails until the file says the same. BATON_UPDATE_SQL=1 rewrites them.
const STATEMENTS: Record<string, string> = {
  'deliverable.insert.sql': INSERT_DELIVERABLE,
  'deliverable.load.sql': LOAD_DELIVERABLE,
  'deliverable.save.sql': SAVE_DELIVERABLE,
  'outbox.append.sql': APPEND_OUTBOX,
};

const golden = (name: string): URL => new URL(`../../sql/${name}`, import.meta.url);

describe('the statements of the command path', () => {
  it.each(Object.keys(STATEMENTS))('%s is the golden file', (name) => {
    const text = `${STATEMENTS[name].trim()}\n`;
    if (process.env.BATON_UPDATE_SQL) writeFileSync(fileURLToPath(golden(name)), text);
    expect(text).toBe(readFileSync(fileURLToPath(golden(name)), 'utf8'));
  });

  it('are one fixed text each, with every value a parameter', () => {
    for (const text of Object.values(STATEMENTS)) {
      expect(text).not.toMatch(/\$\{|undefined|\[object/);
      // Nothing but parameters and fixed literals: timer states, JSON keys, the relay's channel, '*' (every event).
      const literals = [...text.matchAll(/'([^']*)'/g)].map((match) => match[1]);
      expect(new Set(literals)).toEqual(
        new Set(
          literals.filter((literal) =>
            /^(scheduled|cancelled|sent|baton_outbox|\[\]|\*|[a-zA-Z]+|)$/.test(literal),
          ),
        ),
      );
    }
  });
});
