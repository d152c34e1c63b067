/**
 * The bash completion script. One function walks the words typed so far (skipping each flag's
 * value) to find the command and how many positionals precede the cursor, then offers: commands,
 * the command's flags (with global ones), a flag's choices or files for its value, or process
 * names from the daemon (`statevisor __complete names`, with the --socket typed on the line). After
 * `--` (a command to run) it leaves bash to its default, file names.
 */
import type { CommandModel, CompletionModel, FlagModel } from './model.js';

const words = (items: readonly string[]) => items.join(' ');

function flagWords(flags: readonly FlagModel[]): string {
  return words(flags.flatMap((flag) => (flag.short === undefined ? [flag.long] : [flag.long, flag.short])));
}

function valuedWords(flags: readonly FlagModel[]): string {
  return words(flags.filter((flag) => flag.takesValue).flatMap((flag) => (flag.short === undefined ? [flag.long] : [flag.long, flag.short])));
}

function commandCase(command: CommandModel): string {
  const patterns = [command.name, ...command.aliases].join('|');
  const positional = typeof command.positional === 'string' ? command.positional : `choices:${words(command.positional)}`;
  return `    ${patterns}) flags='${flagWords(command.flags)}'; valued='${valuedWords(command.flags)}'; positional='${positional}' ;;`;
}

function choiceCases(model: CompletionModel): string[] {
  const cases: string[] = [];
  for (const command of model.commands) {
    for (const flag of command.flags) {
      if (flag.choices === undefined) continue;
      for (const name of [command.name, ...command.aliases]) cases.push(`    '${name} ${flag.long}') echo '${words(flag.choices)}' ;;`);
    }
  }
  for (const flag of model.globalFlags) if (flag.choices !== undefined) cases.push(`    *' ${flag.long}') echo '${words(flag.choices)}' ;;`);
  return cases;
}

export function bashScript(model: CompletionModel): string {
  const commands = words(model.commands.flatMap((command) => [command.name, ...command.aliases]));
  return `# statevisor completion for bash. Install:
#   statevisor completion bash > ~/.local/share/bash-completion/completions/statevisor
# or, for this shell only: source <(statevisor completion bash)

_statevisor_command() {
  flags=''; valued=''; positional='none'
  case $1 in
${model.commands.map(commandCase).join('\n')}
  esac
}

_statevisor_choices() {
  case "$1 $2" in
${choiceCases(model).join('\n')}
  esac
}

_statevisor() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local global='${flagWords(model.globalFlags)}'
  local global_valued='${valuedWords(model.globalFlags)}'
  local flags valued positional
  local cmd='' socket='' value_of='' count=0 i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n $value_of ]]; then
      [[ $value_of == --socket ]] && socket=$word
      value_of=''
      continue
    fi
    [[ $word == -- ]] && return 0
    if [[ $word == -* ]]; then
      [[ " $global_valued $valued " == *" $word "* ]] && value_of=$word
      continue
    fi
    if [[ -z $cmd ]]; then
      cmd=$word
      _statevisor_command "$cmd"
    else
      count=$((count + 1))
    fi
  done
  if [[ -n $value_of ]]; then
    local choices
    choices=$(_statevisor_choices "$cmd" "$value_of")
    if [[ -n $choices ]]; then
      COMPREPLY=($(compgen -W "$choices" -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$global $flags" -- "$cur"))
    return 0
  fi
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W '${commands}' -- "$cur"))
    return 0
  fi
  case $positional in
    all) ;;
    first) ((count == 0)) || return 0 ;;
    choices:*)
      ((count == 0)) && COMPREPLY=($(compgen -W "\${positional#choices:}" -- "$cur"))
      return 0 ;;
    *) return 0 ;;
  esac
  local names
  names=$(statevisor \${socket:+--socket "$socket"} __complete names 2>/dev/null)
  COMPREPLY=($(compgen -W "$names" -- "$cur"))
}

complete -F _statevisor statevisor
`;
}
