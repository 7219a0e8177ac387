"""The example line each generated command's --help ends with: its required options, filled in."""

from __future__ import annotations

import shlex

from .options import example_value
from .spec import Command, Option

BY_FLAG = {
    "--bucket": "my-bucket",
    "--key": "path/to/key",
    "--body": "./file.bin",
    "--upload-id": "UPLOAD_ID",
    "--version-id": "VERSION_ID",
    "--part-number": "1",
}


def example(command: Command) -> str:
    """`s3wire NAME --option value ...` for the command's required options (and --out)."""
    words = ["s3wire", command.name]
    for option in command.options:
        if option.required:
            words += [option.flag, sample(option)]
    if command.data_out:
        words += ["--out", "./file.bin"]
    return " ".join(words)


def sample(option: Option) -> str:
    """A value an option could take, quoted for the shell."""
    if option.choices:
        value = option.choices[0]
    elif option.flag in BY_FLAG:
        value = BY_FLAG[option.flag]
    else:
        value = example_value(option)
    return shlex.quote(value)
