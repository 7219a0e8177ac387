"""The s3wire command line: `s3wire COMMAND [options]`, one command per catalog operation.

Entry point: s3wire.cli.main.main. The catalog's commands are data generated into
s3wire._generated.cli_commands; the handwritten ones are registered in s3wire.cli.commands.
"""
