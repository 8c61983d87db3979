import type { Command } from 'commander';
import { registerCatalogCommand } from './catalog.js';
import { registerServeCommand } from './serve.js';
import { registerModelsCommand } from './models.js';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `arbiter --help` lists them. */
export const commands: RegisterCommand[] = [registerServeCommand, registerModelsCommand, registerCatalogCommand];
