import { z } from 'zod';
import { pageQuery } from '../http/validation/schemas.js';

export const inboxQuerySchema = z.strictObject({ ...pageQuery });
export type InboxQuery = z.output<typeof inboxQuerySchema>;
