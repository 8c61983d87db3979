import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `arbiter --help` lists them. */
export const commands: RegisterCommand[] = [];
