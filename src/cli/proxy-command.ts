import type { Command } from 'commander';

export function registerProxyCommand(program: Command): void {
  program.command('proxy').description('run the proxy (being built)');
}
