import type { Command } from 'commander';
import { registerCatalogCommand } from './catalog.js';
import { registerServeCommand } from './serve.js';
import { registerStartCommand } from './start.js';
import { registerRouteCommand } from './route.js';
import { registerModelsCommand } from './models.js';
import { registerEvalCommand } from './eval.js';
import { registerReportCommand } from './report.js';
import { registerDiffCommand } from './diff.js';
import { registerTrendCommand } from './trend.js';
import { registerSimCommand } from './sim.js';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `arbiter --help` lists them. */
export const commands: RegisterCommand[] = [registerStartCommand, registerServeCommand, registerRouteCommand, registerModelsCommand, registerCatalogCommand];
commands.push(registerEvalCommand, registerReportCommand, registerDiffCommand, registerTrendCommand);
commands.push(registerSimCommand);
import { registerKeysCommand } from './keys.js';
import { registerLogsCommand } from './logs.js';
import { registerSpendCommand } from './spend.js';
commands.push(registerKeysCommand, registerLogsCommand, registerSpendCommand);
import { registerIdentifyCommand } from './identify.js';
commands.push(registerIdentifyCommand);
