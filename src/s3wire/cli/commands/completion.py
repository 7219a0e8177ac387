"""completion: print the shell completion script for bash or zsh."""

from __future__ import annotations

import argparse
import sys

from ..command import Context, Handwritten
from ..completion import SHELLS, script
from ..errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The shell."""
    parser.add_argument("shell", choices=SHELLS, help="The shell to complete in.")


def run(context: Context) -> int:
    """Print the script."""
    from ..parser import build_parser  # the parser lists this command: import it when run

    sys.stdout.write(script(context.args.shell, build_parser()))
    return EXIT_OK


COMMAND = Handwritten(
    name="completion",
    help='Print a shell completion script: eval "$(s3wire completion bash)", or in zsh '
    "source <(s3wire completion zsh).",
    add_arguments=add_arguments,
    run=run,
    group="setup",
    example='eval "$(s3wire completion bash)"',
    connects=False,
    prints="none",
)
