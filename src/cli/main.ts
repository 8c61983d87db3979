/** The `arbiter` command: one file per subcommand, registered here. */
import { Command } from 'commander';
import { commands } from './commands.js';

// `arbiter logs | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command();
program
  .name('arbiter')
  .description('Arbiter: an OpenAI-compatible LLM gateway, eval harness and evidence-driven router')
  .version('0.1.0');

for (const register of commands) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`arbiter: ${message}\n`);
  process.exit(1);
});
