"""The CLI's help: commands grouped, each command's options with types and an example line,
and the shell completion scripts."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from s3wire._generated.cli_commands import COMMANDS
from s3wire.cli.commands import HANDWRITTEN
from s3wire.cli.errors import EXIT_OK, EXIT_USAGE
from s3wire.cli.examples import example
from s3wire.cli.groups import GROUPS
from s3wire.cli.main import main
from s3wire.cli.parser import build_parser

GROUP_NAMES = [name for name, _ in GROUPS]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- groups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("create-bucket", "buckets"),
        ("list-buckets", "buckets"),
        ("head-bucket", "buckets"),
        ("put-object", "objects"),
        ("list-objects-v2", "objects"),
        ("delete-objects", "objects"),
        ("get-object-tagging", "objects"),
        ("create-multipart-upload", "multipart"),
        ("upload-part-copy", "multipart"),
        ("list-parts", "multipart"),
        ("put-bucket-versioning", "configuration"),
        ("get-bucket-tagging", "configuration"),
        ("delete-bucket-encryption", "configuration"),
    ],
)
def test_generated_commands_fall_into_their_group(name: str, group: str) -> None:
    (command,) = [c for c in COMMANDS if c.name == name]
    assert command.group == group


def test_every_command_has_a_known_group() -> None:
    for command in COMMANDS:
        assert command.group in GROUP_NAMES, command.name
    for handwritten in HANDWRITTEN:
        assert handwritten.group in GROUP_NAMES, handwritten.name
    assert {h.group for h in HANDWRITTEN} >= {"shortcuts", "links", "transfers"}


def test_help_lists_the_commands_under_group_headings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == EXIT_OK
    headings = [heading + ":" for _, heading in GROUPS]
    positions = [out.index(f"\n{heading}\n") for heading in headings]
    assert positions == sorted(positions)
    shortcuts = out.split("shortcuts (like `aws s3`):\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in shortcuts.splitlines() if line[2:3] != " "] == [
        "cat",
        "cp",
        "ls",
        "mb",
        "mv",
        "rb",
        "rm",
        "sync",
    ]
    multipart = out.split("multipart uploads:\n", 1)[1].split("\n\n", 1)[0]
    assert "  upload-part " in multipart and "put-object" not in multipart
    assert "links:\n  presign " in out and "\n  presigned-url " in out
    for command in [*COMMANDS, *HANDWRITTEN]:
        assert f"\n  {command.name} " in out or f"\n  {command.name}\n" in out, command.name
    assert "exit status:" in out and "completion bash" in out


# --- each command's help ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(c.name for c in [*COMMANDS, *HANDWRITTEN]))
def test_every_command_help_has_an_example(capsys: pytest.CaptureFixture[str], name: str) -> None:
    status, out, _ = run(capsys, name, "--help")
    assert status == EXIT_OK
    lines = out.rstrip("\n").splitlines()
    assert lines[-2] == "example:"
    assert name in lines[-1]


def test_generated_examples_fill_in_the_required_options() -> None:
    by_name = {c.name: c for c in COMMANDS}
    assert example(by_name["put-object"]) == (
        "s3wire put-object --bucket my-bucket --key path/to/key"
    )
    assert example(by_name["get-object"]) == (
        "s3wire get-object --bucket my-bucket --key path/to/key --out ./file.bin"
    )
    assert example(by_name["complete-multipart-upload"]) == (
        "s3wire complete-multipart-upload --bucket my-bucket --key path/to/key "
        "--upload-id UPLOAD_ID --parts @parts.json"
    )
    assert example(by_name["put-object-tagging"]).endswith("""--tags '{"name": "value"}'""")
    assert "--payer Requester" in example(by_name["put-bucket-request-payment"])


def test_generated_examples_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    parser = build_parser()
    for command in COMMANDS:
        words = shlex.split(example(command))[1:]
        for word in words:
            if word.startswith("@"):
                Path(word[1:]).write_text("[]", encoding="utf-8")
        args = parser.parse_args(words)
        assert args.command == command.name


def test_command_help_shows_types_output_and_connection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "list-objects-v2", "--help")
    for text in (
        "--bucket TEXT",
        "--max-keys INT",
        "--fetch-owner {true,false}",
        "--output {json,yaml,table}",
        "--query PATH",
        "--data FILE|-",
        "--profile NAME",
    ):
        assert text in out


def test_shortcut_help(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "ls", "--help")
    assert "s3://BUCKET[/PREFIX]" in out and "--recursive" in out
    assert "s3wire ls s3://my-bucket/photos/ --recursive" in out
    _, out, _ = run(capsys, "presigned-url", "--help")
    assert "--output" not in out and "--profile NAME" in out
    _, out, _ = run(capsys, "get-data-structure", "--help")
    assert "--profile" not in out and "--output" not in out


# --- completion ------------------------------------------------------------------------------


def script(capsys: pytest.CaptureFixture[str], shell: str, tmp_path: Path) -> Path:
    status, out, _ = run(capsys, "completion", shell)
    assert status == EXIT_OK
    path = tmp_path / f"s3wire.{shell}"
    path.write_text(out, encoding="utf-8")
    return path


def test_completion_needs_a_known_shell(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "completion", "fish")
    assert status == EXIT_USAGE
    assert "invalid choice: 'fish'" in err


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["list-obj"],
            {"list-objects", "list-objects-v2", "list-object-versions", "list-object-annotations"},
        ),
        (["m"], {"mb", "mv"}),
        (["ls", "--rec"], {"--recursive"}),
        (["list-objects-v2", "--encoding-type", ""], {"url"}),
        (["put-object", "--output", "y"], {"yaml"}),
        (["put-object-acl", "--acl", "public-read-"], {"public-read-write"}),
        (["put-object", "--bucket", ""], set()),
    ],
)
def test_bash_completion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, words: list[str], expected: set[str]
) -> None:
    path = script(capsys, "bash", tmp_path)
    line = " ".join(shlex.quote(w) for w in ["s3wire", *words])
    program = (
        f"source {shlex.quote(str(path))}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words)}; _s3wire\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == expected, done.stderr


def test_bash_completion_of_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = script(capsys, "bash", tmp_path)
    (tmp_path / "photo.jpg").touch()
    program = (
        f"cd {shlex.quote(str(tmp_path))}; source {shlex.quote(str(path))}\n"
        "COMP_WORDS=(s3wire put-object --body pho); COMP_CWORD=3; _s3wire\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["photo.jpg"]


def test_zsh_completion(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = script(capsys, "zsh", tmp_path)
    subprocess.run(["zsh", "-n", str(path)], check=True)
    quoted = shlex.quote(str(path))
    program = f"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1="> "; autoload -U compinit && compinit -u -d {tmp_path}/dump; source {quoted}'
zpty -w z $'s3wire list-objects-v2 --encoding-type \\t'
zpty -r z out '*url*' && print found-value
zpty -w z $'\\C-u'
zpty -w z $'s3wire ls --recu\\t'
zpty -r z out '*--recursive*' && print found-option
zpty -d z
"""
    done = subprocess.run(
        ["zsh", "-f", "-c", program], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.stdout.split() == ["found-value", "found-option"], done.stderr
