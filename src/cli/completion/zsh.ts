/**
 * The zsh completion script: the bash script's walk over the words typed (src/cli/completion/bash.ts)
 * in zsh's own terms (`words`, `CURRENT`, `_describe` with each command's and flag's description,
 * `_files` for a flag's value), so that it needs no bashcompinit. Works autoloaded from $fpath
 * (`#compdef`) or sourced.
 */
import type { CommandModel, CompletionModel, FlagModel } from './model.js';

/** A zsh single-quoted string. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `_describe` entries: "name:description", colons in the name escaped. */
function entries(items: readonly { name: string; description: string }[]): string {
  return items.map((item) => quote(`${item.name.replace(/:/g, '\\:')}:${item.description}`)).join(' ');
}

function flagEntries(flags: readonly FlagModel[]): string {
  return entries(flags.flatMap((flag) => [{ name: flag.long, description: flag.description }, ...(flag.short === undefined ? [] : [{ name: flag.short, description: flag.description }])]));
}

function valued(flags: readonly FlagModel[]): string {
  return flags.filter((flag) => flag.takesValue).flatMap((flag) => (flag.short === undefined ? [flag.long] : [flag.long, flag.short])).join(' ');
}

function commandCase(command: CommandModel): string {
  const patterns = [command.name, ...command.aliases].join('|');
  const positional = typeof command.positional === 'string' ? command.positional : `choices:${command.positional.join(' ')}`;
  return `    (${patterns}) flags=(${flagEntries(command.flags)}); valued=(${valued(command.flags)}); positional='${positional}' ;;`;
}

function choiceCases(model: CompletionModel): string[] {
  const cases: string[] = [];
  for (const command of model.commands) {
    for (const flag of command.flags) {
      if (flag.choices === undefined) continue;
      for (const name of [command.name, ...command.aliases]) cases.push(`    ('${name} ${flag.long}') choices=(${flag.choices.join(' ')}) ;;`);
    }
  }
  return cases;
}

export function zshScript(model: CompletionModel): string {
  const commands = model.commands.flatMap((command) => [command, ...command.aliases.map((alias) => ({ ...command, name: alias }))]);
  return `#compdef statevisor
# statevisor completion for zsh. Install (a directory in $fpath, before compinit runs):
#   statevisor completion zsh > ~/.zsh/completions/_statevisor   # with fpath=(~/.zsh/completions $fpath) in ~/.zshrc
# or, for this shell only (after compinit): source <(statevisor completion zsh)

_statevisor_command() {
  flags=(); valued=(); positional=none
  case $1 in
${model.commands.map(commandCase).join('\n')}
  esac
}

_statevisor() {
  local -a global global_valued commands flags valued choices names
  local positional=none cmd='' socket='' value_of='' word
  local -i count=0 i
  global=(${flagEntries(model.globalFlags)})
  global_valued=(${valued(model.globalFlags)})
  commands=(${entries(commands)})
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    if [[ -n $value_of ]]; then
      [[ $value_of == --socket ]] && socket=$word
      value_of=''
      continue
    fi
    [[ $word == -- ]] && { _files; return; }
    if [[ $word == -* ]]; then
      (( \${global_valued[(Ie)$word]} || \${valued[(Ie)$word]} )) && value_of=$word
      continue
    fi
    if [[ -z $cmd ]]; then
      cmd=$word
      _statevisor_command $cmd
    else
      count+=1
    fi
  done
  if [[ -n $value_of ]]; then
    choices=()
    case "$cmd $value_of" in
${choiceCases(model).join('\n')}
    esac
    if (( $#choices )); then compadd -a choices; else _files; fi
    return
  fi
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t flags flag global -- flags
    return
  fi
  if [[ -z $cmd ]]; then
    _describe -t commands command commands
    return
  fi
  case $positional in
    (all) ;;
    (first) (( count == 0 )) || return 1 ;;
    (choices:*)
      (( count == 0 )) && compadd -- \${=positional#choices:}
      return ;;
    (*) return 1 ;;
  esac
  names=(\${(f)"$(statevisor \${socket:+--socket} \${socket:+$socket} __complete names 2>/dev/null)"})
  compadd -a names
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _statevisor "$@"
else
  compdef _statevisor statevisor
fi
`;
}
