/**
 * The database type Kysely checks queries against: each concern declares its tables in
 * `tables/<concern>.ts` and they are joined here. Timestamps are epoch milliseconds and money
 * is integer nano-dollars in every dialect, so SQLite and Postgres rows look the same.
 */
import type { EvalTables } from './tables/evals.js';
import type { ControlTables } from './tables/controls.js';
import type { IdentifyTables } from './tables/identify.js';
import type { DashboardTables } from './tables/dashboard.js';

export interface Database extends EvalTables, ControlTables, IdentifyTables, DashboardTables {}
