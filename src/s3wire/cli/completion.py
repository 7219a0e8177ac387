"""Shell completion scripts (bash, zsh) written from the parser: commands, options, choices."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

FILE_METAVARS = re.compile(r"FILE(\|-)?")  # options that take a local file (or - for stdin)
SHELLS = ("bash", "zsh")


@dataclass(frozen=True)
class Flag:
    """One option of a command, as completion needs it."""

    flag: str
    help: str
    takes_value: bool
    choices: tuple[str, ...] = ()
    is_file: bool = False


def commands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, list[Flag]]]:
    """Each command's description and options, from the parser."""
    found: dict[str, tuple[str, list[Flag]]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = ((sub.description or "").replace("%%", "%"), _flags(sub))
    return found


def _flags(parser: argparse.ArgumentParser) -> list[Flag]:
    flags = []
    for action in parser._actions:
        for flag in action.option_strings:
            if not flag.startswith("--"):
                continue
            metavar = action.metavar if isinstance(action.metavar, str) else ""
            flags.append(
                Flag(
                    flag,
                    (action.help or "").replace("%%", "%"),
                    takes_value=action.nargs != 0,
                    choices=tuple(map(str, action.choices or ())),
                    is_file=bool(FILE_METAVARS.fullmatch(metavar)),
                )
            )
    return flags


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for bash or zsh."""
    table = commands(parser)
    return _bash(table) if shell == "bash" else _zsh(table)


def _bash(table: dict[str, tuple[str, list[Flag]]]) -> str:
    """Option values are completed by one case per action; an option that does the same in
    every command is matched as `*:--flag`."""
    actions: dict[tuple[str, str], str] = {}
    for name, (_, flags) in table.items():
        for flag in flags:
            if flag.choices:
                words = _quote(" ".join(flag.choices))
                actions[name, flag.flag] = f'COMPREPLY=($(compgen -W {words} -- "$cur"))'
            elif flag.is_file:
                actions[name, flag.flag] = 'COMPREPLY=($(compgen -f -- "$cur"))'
            elif flag.takes_value:
                actions[name, flag.flag] = ":"  # a value to type: nothing to offer
    per_flag: dict[str, set[str]] = {}
    for (_, option), action in actions.items():
        per_flag.setdefault(option, set()).add(action)
    labels: dict[str, list[str]] = {}
    for (name, option), action in sorted(actions.items()):
        label = f"*:{option}" if len(per_flag[option]) == 1 else f"{name}:{option}"
        if label not in labels.setdefault(action, []):
            labels[action].append(label)
    values = "\n".join(
        f"        {'|'.join(found)}) {action}; return ;;" for action, found in labels.items()
    )
    cases = "\n".join(
        f"        {name}) opts={_quote(' '.join(f.flag for f in flags))} ;;"
        for name, (_, flags) in sorted(table.items())
    )
    return BASH.format(commands=_quote(" ".join(sorted(table))), values=values, cases=cases)


def _zsh(table: dict[str, tuple[str, list[Flag]]]) -> str:
    described = "\n".join(
        f"    {_zquote(f'{name}:{_first_line(text)}')}" for name, (text, _) in sorted(table.items())
    )
    cases = []
    for name, (_, flags) in sorted(table.items()):
        specs = " \\\n        ".join(_zsh_spec(flag) for flag in flags)
        cases.append(
            f"    ({name})\n      _arguments -S \\\n        {specs} \\\n        '*:path:_files' ;;"
        )
    return ZSH.format(commands=described, cases="\n".join(cases))


def _zsh_spec(flag: Flag) -> str:
    text = re.sub(r"([\[\]:\\])", r"\\\1", _first_line(flag.help))
    spec = f"{flag.flag}[{text}]"
    if flag.choices:
        spec += f":value:({' '.join(flag.choices)})"
    elif flag.is_file:
        spec += ":file:_files"
    elif flag.takes_value:
        spec += ":value: "
    return _zquote(spec)


def _first_line(text: str) -> str:
    """The first sentence of a help text, on one line."""
    line = " ".join(text.split())
    return line.split(". ", 1)[0].rstrip(".")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


_zquote = _quote


BASH = """\
# bash completion for s3wire. Load it with:  eval "$(s3wire completion bash)"
_s3wire() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local command=${{COMP_WORDS[1]}} opts
    if (( COMP_CWORD == 1 )); then
        COMPREPLY=($(compgen -W {commands} -- "$cur"))
        return
    fi
    case "$command:$prev" in
{values}
    esac
    case "$command" in
{cases}
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _s3wire s3wire
"""

ZSH = """\
#compdef s3wire
# zsh completion for s3wire. Load it with:  source <(s3wire completion zsh)
# (after compinit), or save it as _s3wire in a directory of your $fpath.
_s3wire() {{
  local -a commands
  commands=(
{commands}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 's3wire command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
{cases}
  esac
}}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _s3wire "$@"
else
  compdef _s3wire s3wire
fi
"""
