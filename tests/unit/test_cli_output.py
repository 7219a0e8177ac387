"""--output json|yaml|table and --query: the emitters, and the commands printing through them."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from recording import cli_through

from s3wire.cli import table, yaml_text
from s3wire.cli.errors import EXIT_ERROR_ANSWER, EXIT_OK, EXIT_USAGE, UsageError
from s3wire.cli.main import main
from s3wire.cli.query import select
from s3wire.testing import Answer, MockTransport

LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>'
    b"<KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>"
    b"<Contents><Key>a.txt</Key><Size>5</Size><LastModified>2024-05-01T12:00:00.000Z"
    b"</LastModified><StorageClass>STANDARD</StorageClass></Contents>"
    b"<Contents><Key>dir/b.bin</Key><Size>12345</Size><LastModified>2024-05-02T08:30:00.000Z"
    b"</LastModified><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>"
)
NO_SUCH_BUCKET = (
    b"<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
    b"</Error>"
)


class Replies(MockTransport):
    """Answers every request with `answer`, which a test may change."""

    def __init__(self) -> None:
        self.answer = Answer()
        super().__init__(lambda _: self.answer)


@pytest.fixture
def replies(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Replies:
    """Every client the CLI builds answers through this transport."""
    fake = Replies()
    cli_through(monkeypatch, globals(), fake)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in {
        "S3WIRE_URL": "http://127.0.0.1:7480",
        "S3WIRE_ACCESS_KEY": "AKIDEXAMPLE",
        "S3WIRE_SECRET_KEY": "secret",
        "S3WIRE_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    return fake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def listing(replies: Replies) -> None:
    replies.answer = Answer(200, {"x-amz-request-id": "R1"}, LISTING)


# --- the YAML emitter ------------------------------------------------------------------------

JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_LIKE)
def test_yaml_reads_back_as_the_same_data(value: Any) -> None:
    assert yaml.safe_load(yaml_text.dump(value)) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"Key": "photos/cat.jpg", "Size": 3}, "Key: photos/cat.jpg\nSize: 3\n"),
        ({"a": [], "b": {}, "c": None, "d": True}, "a: []\nb: {}\nc: null\nd: true\n"),
        (["yes", "01", "a: b", ""], '- "yes"\n- "01"\n- "a: b"\n- ""\n'),
        ([{"k": 1, "v": [1, 2]}], "- k: 1\n  v:\n    - 1\n    - 2\n"),
        ({"line": "a\nb"}, 'line: "a\\nb"\n'),
        (1e300, "1.0e+300\n"),
    ],
)
def test_yaml_layout(value: Any, text: str) -> None:
    assert yaml_text.dump(value) == text


# --- tables ----------------------------------------------------------------------------------


def test_table_of_rows_aligns_columns_and_right_aligns_numbers() -> None:
    rows = [{"Key": "a", "Size": 5, "Owner": {"ID": "x"}}, {"Key": "long-key", "Size": 12345}]
    assert table.render(rows).splitlines() == [
        "Key        Size",
        "--------  -----",
        "a             5",
        "long-key  12345",
    ]


def test_table_of_an_object_shows_paths_and_values() -> None:
    text = table.render({"status": 200, "response": {"A": {"B": ["x", "y"]}}, "headers": {}})
    assert text.splitlines() == [
        "Path            Value",
        "--------------  -----",
        "status          200",
        "response.A.B.0  x",
        "response.A.B.1  y",
        "headers         {}",
    ]


def test_listing_rows_for_each_listing() -> None:
    buckets = {"ListAllMyBucketsResult": {"Buckets": {"Bucket": [{"Name": "b", "X": 1}]}}}
    assert table.listing_rows(buckets) == [{"Name": "b", "CreationDate": None}]
    versions = {
        "ListVersionsResult": {
            "Version": [{"Key": "k", "VersionId": "v1", "IsLatest": False, "Size": 1}],
            "DeleteMarker": [{"Key": "k", "VersionId": "v2", "IsLatest": True}],
        }
    }
    rows = table.listing_rows(versions)
    assert rows is not None
    assert [(r["Type"], r["VersionId"], r["Size"]) for r in rows] == [
        ("Version", "v1", 1),
        ("DeleteMarker", "v2", None),
    ]
    parts = {"ListPartsResult": {"Part": {"PartNumber": 1}}}  # one item, parsed without a shape
    assert table.listing_rows(parts) == [
        {"PartNumber": 1, "Size": None, "ETag": None, "LastModified": None}
    ]
    assert table.listing_rows({"ListMultipartUploadsResult": {}}) == []
    assert table.listing_rows({"Tagging": {}}) is None


def test_table_cells_escape_control_characters() -> None:
    assert table.cell("a\nb") == "a\\nb"
    assert table.cell(None) == ""
    assert table.cell(False) == "false"


# --- --query ---------------------------------------------------------------------------------


def test_query_paths() -> None:
    answer = {"response": {"R": {"Items": [{"Key": "a"}, {"Key": "b"}]}}, "headers": {"ETag": "e"}}
    assert select(answer, "response.R.Items.0.Key") == "a"
    assert select(answer, "response.R.Items.-1.Key") == "b"
    assert select(answer, "headers.etag") == "e"  # header names in any case
    assert select(answer, "response.R") == {"Items": [{"Key": "a"}, {"Key": "b"}]}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("response.Nope", "no 'Nope' in response (it has: R)"),
        ("response.R.Items.2", "response.R.Items has 2 item(s), no item 2"),
        ("response.R.Items.first", "response.R.Items is a list: give an index, not 'first'"),
        ("response.R.Items.0.Key.x", "response.R.Items.0.Key is a single value"),
        ("nope", "no 'nope' in the answer"),
    ],
)
def test_query_errors_say_where(path: str, message: str) -> None:
    answer = {"response": {"R": {"Items": [{"Key": "a"}, {"Key": "b"}]}}}
    with pytest.raises(UsageError, match="--query: ") as caught:
        select(answer, path)
    assert message in str(caught.value)


# --- commands printing through them ----------------------------------------------------------


def test_default_output_is_json(capsys: pytest.CaptureFixture[str], replies: Replies) -> None:
    listing(replies)
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket")
    assert status == EXIT_OK
    assert json.loads(out)["response"]["ListBucketResult"]["KeyCount"] == 2


def test_output_yaml(capsys: pytest.CaptureFixture[str], replies: Replies) -> None:
    listing(replies)
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", "--output", "yaml")
    assert status == EXIT_OK
    parsed = yaml.safe_load(out)
    assert parsed["status"] == 200
    assert parsed["response"]["ListBucketResult"]["Contents"][1]["Key"] == "dir/b.bin"
    assert parsed["headers"] == {"x-amz-request-id": "R1"}


def test_output_table_of_a_listing(capsys: pytest.CaptureFixture[str], replies: Replies) -> None:
    listing(replies)
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", "--output", "table")
    assert status == EXIT_OK
    assert out.splitlines() == [
        "Key         Size  LastModified              StorageClass",
        "---------  -----  ------------------------  ------------",
        "a.txt          5  2024-05-01T12:00:00.000Z  STANDARD",
        "dir/b.bin  12345  2024-05-02T08:30:00.000Z  STANDARD",
    ]


def test_output_table_of_another_answer(
    capsys: pytest.CaptureFixture[str], replies: Replies
) -> None:
    replies.answer = Answer(200, {"ETag": '"e"'})
    status, out, _ = run(capsys, "head-bucket", "--bucket", "my-bucket", "--output", "table")
    assert status == EXIT_OK
    assert out.splitlines()[2:] == ["status        200", "response      {}", 'headers.ETag  "e"']


@pytest.mark.parametrize(
    ("argv", "printed"),
    [
        (["--query", "response.ListBucketResult.Contents.0.Key"], "a.txt\n"),
        (["--query", "response.ListBucketResult.KeyCount"], "2\n"),
        (["--query", "response.ListBucketResult.IsTruncated"], "false\n"),
        (["--query", "headers.X-Amz-Request-Id"], "R1\n"),
        (["--query", "response.ListBucketResult.Contents.-1", "--output", "yaml"], None),
    ],
)
def test_query_prints_one_value(
    capsys: pytest.CaptureFixture[str], replies: Replies, argv: list[str], printed: str | None
) -> None:
    listing(replies)
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", *argv)
    assert status == EXIT_OK
    if printed is None:
        assert yaml.safe_load(out)["Key"] == "dir/b.bin"
    else:
        assert out == printed


def test_query_of_a_list_as_a_table(capsys: pytest.CaptureFixture[str], replies: Replies) -> None:
    listing(replies)
    query = ["--query", "response.ListBucketResult.Contents", "--output", "table"]
    _, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", *query)
    assert out.splitlines()[0].split() == ["Key", "Size", "LastModified", "StorageClass"]


def test_query_that_finds_nothing_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], replies: Replies
) -> None:
    listing(replies)
    status, out, err = run(
        capsys, "list-objects-v2", "--bucket", "my-bucket", "--query", "response.X"
    )
    assert (status, out) == (EXIT_USAGE, "")
    assert "--query: no 'X' in response (it has: ListBucketResult)" in err


def test_error_answers_are_printed_whole(
    capsys: pytest.CaptureFixture[str], replies: Replies
) -> None:
    replies.answer = Answer(404, body=NO_SUCH_BUCKET)
    query = ["--query", "response.ListBucketResult.Contents"]
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", *query)
    assert status == EXIT_ERROR_ANSWER
    assert json.loads(out)["response"]["Error"]["Code"] == "NoSuchBucket"
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", "--output", "table")
    assert status == EXIT_ERROR_ANSWER
    assert "response.Error.Code     NoSuchBucket" in out
    status, out, _ = run(capsys, "list-objects-v2", "--bucket", "my-bucket", "--output", "yaml")
    assert yaml.safe_load(out)["status"] == 404


def test_output_choices_are_checked(capsys: pytest.CaptureFixture[str], replies: Replies) -> None:
    status, _, err = run(capsys, "list-buckets", "--output", "xml")
    assert status == EXIT_USAGE
    assert "argument --output: invalid choice: 'xml'" in err
