import { Init1764270000000 } from './1764270000000-init.js';

/** Every migration, oldest first. A new migration is added here (CI's drift check runs them all). */
export const MIGRATIONS = [Init1764270000000];
