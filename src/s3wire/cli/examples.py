"""The example line each generated command's --help ends with: its required options, filled in."""

from __future__ import annotations

import shlex

from .spec import Command, Option, ValueType

BY_FLAG = {
    "--bucket": "my-bucket",
    "--key": "path/to/key",
    "--body": "./file.bin",
    "--upload-id": "UPLOAD_ID",
    "--version-id": "VERSION_ID",
    "--part-number": "1",
}
BY_TYPE: dict[ValueType, str] = {
    "str": "TEXT",
    "int": "1",
    "bool": "true",
    "timestamp": "2024-05-01T12:00:00Z",
    "map": '{"name": "value"}',
    "bytes": "./file.bin",
    "copy_source": "source-bucket/path/to/key",
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
    elif option.type == "str":
        value = option.param.upper()
    elif option.type in ("list", "shape"):
        value = f"@{option.flag[2:]}.json"
    else:
        value = BY_TYPE[option.type]
    return shlex.quote(value)
