"""Did you mean: an unknown command, option or choice answers the closest names in one line
(exit 2), never the list of every command. No server: the CLI runs in-process over a
MockTransport that must see no request."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from recording import Recorder, cli_through

from s3wire._generated.cli_commands import COMMANDS
from s3wire.cli.commands import HANDWRITTEN
from s3wire.cli.errors import EXIT_USAGE
from s3wire.cli.main import main
from s3wire.cli.suggest import SHOWN, closest, did_you_mean, distance

NAMES = sorted([command.name for command in COMMANDS] + [command.name for command in HANDWRITTEN])


@pytest.fixture(autouse=True)
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """The CLI's requests go to a recorder; these commands must send none."""
    recorder = Recorder()
    cli_through(monkeypatch, globals(), recorder)
    return recorder


def usage_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail as bad usage: its one line on stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert (status, out) == (EXIT_USAGE, "")
    assert err.count("\n") == 1, err
    return err


# --- the edit distance and the choice of names ------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("", "", 0),
        ("ls", "ls", 0),
        ("lst", "ls", 1),  # one added
        ("l", "ls", 1),  # one dropped
        ("cp", "cq", 1),  # one changed
        ("sl", "ls", 1),  # two neighbours swapped
        ("get-objcet", "get-object", 1),
        ("abc", "", 3),
        ("kitten", "sitting", 3),
    ],
)
def test_distance_counts_edits(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == edits
    assert distance(b, a) == edits


@st.composite
def one_edit(draw: st.DrawFn) -> tuple[str, str]:
    """(a command name, that name with one character changed, dropped or added)."""
    name = draw(st.sampled_from(NAMES))
    at = draw(st.integers(0, len(name)))
    char = draw(st.characters(codec="utf-8"))
    how = draw(st.sampled_from(["change", "drop", "add"]))
    if how == "add":
        word = name[:at] + char + name[at:]
    else:
        at = min(at, len(name) - 1)
        word = name[:at] + (char if how == "change" else "") + name[at + 1 :]
    return name, word


@given(one_edit())
def test_one_edit_away_suggests_the_name(edit: tuple[str, str]) -> None:
    name, word = edit
    assume(len(word) >= 3 and word not in NAMES)
    found, total = closest(word, NAMES)
    assert name in found
    assert total <= SHOWN  # all the nearest are shown


@given(st.text(max_size=30))
def test_suggestions_are_few_and_real(word: str) -> None:
    found, total = closest(word, NAMES)
    assert len(found) <= SHOWN and total >= len(found)
    assert set(found) <= set(NAMES)


def test_a_prefix_suggests_the_names_it_starts() -> None:
    assert closest("head", NAMES) == (["head-bucket", "head-object"], 2)
    assert closest("presigned-", NAMES) == (["presign", "presigned-url"], 2)
    found, total = closest("list", NAMES)
    assert len(found) == SHOWN and total > SHOWN
    assert all(name.startswith("list-") for name in found)


def test_nothing_close_is_none() -> None:
    assert did_you_mean("frobnicate", NAMES) is None
    assert did_you_mean("zz", NAMES) is None  # too short to be taken as a prefix
    assert did_you_mean("rmb", NAMES) == "did you mean 'mb', 'rb' or 'rm'?"


# --- through the command line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "suggested"),
    [
        ("lst", "'ls'"),  # a shortcut
        ("cpp", "'cp'"),
        ("get-objet", "'get-object'"),  # a catalog command
        ("GetObject", "'get-object'"),  # as the API names it
        ("list-bucket", "'list-buckets'"),
        ("head", "'head-bucket' or 'head-object'"),
    ],
)
def test_unknown_command_suggests_the_closest(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, word: str, suggested: str
) -> None:
    err = usage_line(capsys, word, "s3://b")
    assert err == (
        f"s3wire: error: unknown command '{word}'; did you mean {suggested}? "
        "(`s3wire --help` lists them)\n"
    )
    assert not recorder.sent


def test_unknown_command_never_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_line(capsys, "frobnicate")
    assert err == (
        "s3wire: error: unknown command 'frobnicate'; no command is close to it "
        "(`s3wire --help` lists them)\n"
    )
    assert len(usage_line(capsys, "list")) < 200  # not the 120 commands argparse would list


def test_unknown_command_after_global_options(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_line(capsys, "--region", "eu-west-1", "lss", "s3://b")
    assert "unknown command 'lss'; did you mean 'ls'?" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["ls", "s3://b", "--recursiv"],
            "s3wire ls: error: unknown option '--recursiv'; did you mean '--recursive'? "
            "(`s3wire ls --help` lists them)\n",
        ),
        (
            ["list-objects-v2", "--bucket", "b", "--prefx", "a/"],
            "s3wire list-objects-v2: error: unknown option '--prefx'; did you mean '--prefix'? "
            "(`s3wire list-objects-v2 --help` lists them)\n",
        ),
        (  # a global option, misspelt; the value after =  is not shown
            ["list-buckets", "--regoin=eu-west-1"],
            "s3wire list-buckets: error: unknown option '--regoin'; did you mean '--region'? "
            "(`s3wire list-buckets --help` lists them)\n",
        ),
        (
            ["rb", "s3://b", "--frobnicate"],
            "s3wire rb: error: unknown option '--frobnicate'; s3wire rb has no option close to "
            "it (`s3wire rb --help` lists them)\n",
        ),
        (
            ["get-object", "--bucket", "b", "--key", "k", "--vresion-id", "v", "--rnage", "x"],
            "s3wire get-object: error: unknown option '--vresion-id'; did you mean "
            "'--version-id'? (also unknown: --rnage; `s3wire get-object --help` lists them)\n",
        ),
    ],
)
def test_unknown_option_suggests_the_commands_closest(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, argv: list[str], message: str
) -> None:
    assert usage_line(capsys, *argv) == message
    assert not recorder.sent


@pytest.mark.parametrize(
    "argv",
    [
        ["--regoin", "eu-west-1", "ls", "s3://b"],  # not "unknown command 'eu-west-1'"
        ["--output=json", "--regoin=eu-west-1", "ls"],
        ["--profile", "p", "--regoin", "eu-west-1", "ls"],
    ],
)
def test_unknown_option_before_the_command(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert usage_line(capsys, *argv) == (
        "s3wire: error: unknown option '--regoin'; did you mean '--region'? "
        "(`s3wire --help` lists them)\n"
    )


def test_words_that_are_not_options_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_line(capsys, "ls", "s3://a", "s3://b", "-1")
    assert err == "s3wire ls: error: unrecognized arguments: s3://b -1\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["completion", "bsh"],
            "s3wire completion: error: argument shell: invalid choice: 'bsh'; did you mean "
            "'zsh' or 'bash'? (choose from bash, zsh)\n",
        ),
        (
            ["list-buckets", "--output", "jsno"],
            "s3wire list-buckets: error: argument --output: invalid choice: 'jsno'; did you "
            "mean 'json'? (choose from json, yaml, table)\n",
        ),
        (
            ["list-buckets", "--output", "xml"],
            "s3wire list-buckets: error: argument --output: invalid choice: 'xml' "
            "(choose from json, yaml, table)\n",
        ),
    ],
)
def test_a_choice_suggests_the_closest_values(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert usage_line(capsys, *argv) == message


@settings(max_examples=20, deadline=None)  # each builds the whole parser (~0.2 s or more)
@given(one_edit())
def test_the_cli_suggests_a_command_one_edit_away(edit: tuple[str, str]) -> None:
    name, word = edit
    assume(len(word) >= 3 and word not in NAMES and not word.startswith("-"))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main([word]) == EXIT_USAGE
    line = err.getvalue()
    assert line.count("\n") == 1
    assert f"'{name}'" in line.partition("did you mean ")[2]


@given(st.text("abc-", max_size=8), st.text("abc-", max_size=8), st.integers(0, 4))
def test_a_bounded_distance_is_exact_up_to_the_bound(a: str, b: str, bound: int) -> None:
    assert distance(a, b, bound) == min(distance(a, b), bound + 1)
