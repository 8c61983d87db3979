/**
 * Migrations in order. Each concern adds its own file (`NNN-<concern>.ts`) and one line here;
 * a migration is written once with Kysely's schema builder so it runs on SQLite and Postgres.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { evalsMigration } from './001-evals.js';
import { controlsMigration } from './002-controls.js';
import { entrancesMigration } from './003-entrances.js';
import { dashboardMigration } from './004-dashboard.js';
import { identifyMigration } from './005-identify.js';

const migrations: Record<string, Migration> = {
  '001-evals': evalsMigration,
  '002-controls': controlsMigration,
  '003-entrances': entrancesMigration,
  '004-dashboard': dashboardMigration,
  '005-identify': identifyMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
