import type { Command } from 'commander';
import { registerCatalogCommand } from './catalog.js';
import { registerServeCommand } from './serve.js';
import { registerModelsCommand } from './models.js';
import { registerEvalCommand } from './eval.js';
import { registerReportCommand } from './report.js';
import { registerDiffCommand } from './diff.js';
import { registerTrendCommand } from './trend.js';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `arbiter --help` lists them. */
export const commands: RegisterCommand[] = [registerServeCommand, registerModelsCommand, registerCatalogCommand];
commands.push(registerEvalCommand, registerReportCommand, registerDiffCommand, registerTrendCommand);
