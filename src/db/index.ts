export { openDatabase, rows, type Database, type Db, type Executor } from './client.ts';
export { runMigrations, migrationsFolder } from './migrate.ts';
export * as schema from './schema.ts';
