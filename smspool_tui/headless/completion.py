"""Shell completion generated from the argument parser itself, so a new command or flag is
completed in every shell without anyone writing it three times.

    eval "$(smspool-tui completion bash)"      # ~/.bashrc
    eval "$(smspool-tui completion zsh)"       # ~/.zshrc (after compinit)
    smspool-tui completion fish | source       # ~/.config/fish/config.fish
"""

from __future__ import annotations

import argparse

PROG = "smspool-tui"


def _tree(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, list[str]], dict]:
    """(global flags, {command: its flags}, {command: {flag: choices}})."""
    flags: list[str] = []
    commands: dict[str, list[str]] = {}
    choices: dict[str, dict[str, list[str]]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                commands[name] = []
                choices[name] = {}
                for sub_action in sub._actions:
                    commands[name].extend(sub_action.option_strings)
                    if sub_action.choices and not sub_action.option_strings:
                        choices[name][""] = [str(c) for c in sub_action.choices]
        else:
            flags.extend(action.option_strings)
    return flags, commands, choices


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    flags, commands, choices = _tree(parser)
    if shell == "bash":
        return _bash(flags, commands, choices)
    if shell == "zsh":
        return "autoload -U bashcompinit && bashcompinit\n" + _bash(flags, commands, choices)
    return _fish(flags, commands, choices)


def _bash(flags: list[str], commands: dict[str, list[str]], choices: dict) -> str:
    cases = []
    for name, opts in commands.items():
        words = " ".join(opts + choices[name].get("", []))
        cases.append(f'        {name}) COMPREPLY=($(compgen -W "{words}" -- "$cur")); return;;')
    body = "\n".join(cases)
    return f"""_smspool_tui() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} cmd="" w
    for w in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case "$w" in -*) ;; *) cmd=$w; break;; esac
    done
    case "$cmd" in
{body}
    esac
    COMPREPLY=($(compgen -W "{" ".join(flags)} {" ".join(commands)}" -- "$cur"))
}}
complete -F _smspool_tui {PROG}"""


def _fish(flags: list[str], commands: dict[str, list[str]], choices: dict) -> str:
    names = " ".join(commands)
    lines = [f"complete -c {PROG} -f"]
    lines.append(f'complete -c {PROG} -n "not __fish_seen_subcommand_from {names}" -a "{names}"')
    for flag in flags:
        if flag.startswith("--"):
            lines.append(f"complete -c {PROG} -l {flag[2:]}")
    for name, opts in commands.items():
        when = f'-n "__fish_seen_subcommand_from {name}"'
        for opt in opts:
            if opt.startswith("--"):
                lines.append(f"complete -c {PROG} {when} -l {opt[2:]}")
        extra = choices[name].get("")
        if extra:
            lines.append(f'complete -c {PROG} {when} -a "{" ".join(extra)}"')
    return "\n".join(lines)
