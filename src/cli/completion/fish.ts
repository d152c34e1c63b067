/**
 * The fish completion script: fish's own declarative `complete` lines, one per command and flag,
 * with descriptions; process names from the daemon (`statevisor __complete names`).
 */
import type { CompletionModel, FlagModel } from './model.js';

/** A fish single-quoted string: only \ and ' are special inside. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function flagLine(flag: FlagModel, condition: string): string {
  const short = flag.short === undefined ? '' : ` -s ${flag.short.slice(1)}`;
  const value = !flag.takesValue ? '' : flag.choices === undefined ? ' -r -F' : ` -x -a ${quote(flag.choices.join(' '))}`;
  return `complete -c statevisor ${condition}${short} -l ${flag.long.slice(2)}${value} -d ${quote(flag.description)}`;
}

export function fishScript(model: CompletionModel): string {
  const lines = [
    '# statevisor completion for fish. Install:',
    '#   statevisor completion fish > ~/.config/fish/completions/statevisor.fish',
    'complete -c statevisor -f',
    ...model.globalFlags.map((flag) => flagLine(flag, '')),
  ];
  const processCommands: string[] = [];
  for (const command of model.commands) {
    const names = [command.name, ...command.aliases];
    for (const name of names) lines.push(`complete -c statevisor -n __fish_use_subcommand -a ${name} -d ${quote(command.description)}`);
    const seen = `-n ${quote(`__fish_seen_subcommand_from ${names.join(' ')}`)}`;
    for (const flag of command.flags) lines.push(flagLine(flag, `${seen} `));
    if (typeof command.positional === 'string') {
      if (command.positional !== 'none') processCommands.push(...names);
    } else lines.push(`complete -c statevisor ${seen} -a ${quote(command.positional.join(' '))}`);
  }
  lines.push(
    'function __statevisor_names',
    '    set -l socket (string replace -rf -- \'.*--socket[= ](\\S+).*\' \'$1\' (commandline -p))',
    '    if test -n "$socket"',
    '        statevisor --socket $socket __complete names 2>/dev/null',
    '    else',
    '        statevisor __complete names 2>/dev/null',
    '    end',
    'end',
    `complete -c statevisor -n ${quote(`__fish_seen_subcommand_from ${processCommands.join(' ')}`)} -a '(__statevisor_names)'`,
  );
  return `${lines.join('\n')}\n`;
}
