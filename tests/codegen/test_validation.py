"""Catalog checks: each mistake is a CatalogError naming its file, its entry and the problem."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from s3wire.codegen.catalog import CatalogError, load_catalog
from s3wire.codegen.model import pascal, snake, upper_snake

REPO = Path(__file__).resolve().parents[2]
SHAPES = """\
Owner:
  ID: str
Error:
  Code: str
  Message: str
"""
PARAMS = """\
expected_bucket_owner:
  header: x-amz-expected-bucket-owner
  doc: The account that must own the bucket.
"""
FIELDS = "request_id: x-amz-request-id\n"
DROP = object()  # an operation() value that removes the key


def write_catalog(
    tmp_path: Path,
    files: dict[str, str],
    *,
    shapes: str = SHAPES,
    params: str = PARAMS,
    fields: str = FIELDS,
) -> Path:
    """A spec/ folder in tmp_path: the shared files plus `files` (name -> YAML text)."""
    spec = tmp_path / "spec"
    shared = {"shapes.yaml": shapes, "params.yaml": params, "response-headers.yaml": fields}
    for name, text in {**shared, **files}.items():
        (spec / name).parent.mkdir(parents=True, exist_ok=True)
        (spec / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return spec


def operation(name: str = "GetFoo", **keys: Any) -> str:
    """One valid service-level GET as YAML text, with `keys` added, replaced or DROPped."""
    spec = {"doc": "Fetch the foo.", "http": "GET", "target": "service", "group": "buckets", **keys}
    return yaml.safe_dump({name: {k: v for k, v in spec.items() if v is not DROP}}, sort_keys=False)


def catalog_error(spec: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(spec)
    return str(info.value)


def assert_reported(message: str, *parts: str) -> None:
    """Some line of the message holds every part (file, entry, problem)."""
    assert any(all(part in line for part in parts) for line in message.splitlines()), (
        f"no line names all of {parts} in:\n{message}"
    )


def xml_param(**keys: Any) -> dict[str, Any]:
    return {"xml": True, "doc": "Goes in the body.", **keys}


def test_base_catalog_is_valid(tmp_path: Path) -> None:
    """The helpers' catalog is valid, so each case below fails for its own mistake only."""
    spec = write_catalog(
        tmp_path,
        {
            "ops.yaml": operation(
                params={"expected_bucket_owner": "common", "zone": xml_param()},
                request_body={"Cfg": {"Zone": "$zone"}},
                response={"headers": {"request_id": "common"}},
            )
        },
    )
    catalog = load_catalog(spec)
    assert [op.name for op in catalog.operations] == ["GetFoo"]
    assert [s.name for s in catalog.structs] == ["Error", "Owner"]


def test_real_catalog_is_valid() -> None:
    catalog = load_catalog(REPO / "spec")
    assert catalog.operations
    assert "Error" in {s.name for s in catalog.structs}


MISTAKES = {
    "unknown operation key": (operation(colour="red"), "unknown key(s) colour"),
    "unknown param key": (
        operation(params={"name": {"query": "name", "doc": "A name.", "colour": "red"}}),
        "params.name: unknown key(s) colour",
    ),
    "missing http": (operation(http=DROP), "missing http"),
    "missing doc": (operation(doc=DROP), "missing doc"),
    "missing target": (operation(target=DROP), "missing target"),
    "bad http method": (operation(http="FETCH"), "http must be one of GET, PUT, POST"),
    "lower-case http method": (operation(http="get"), "http must be one of"),
    "bad target": (operation(target="folder"), "target must be one of service, bucket, object"),
    "unknown common param": (
        operation(params={"acl": "common"}),
        "params.acl: no common parameter 'acl' in spec/params.yaml",
    ),
    "param with two locations": (
        operation(params={"name": {"query": "n", "header": "x-n", "doc": "A name."}}),
        "params.name: needs exactly one of query, header, header_prefix, payload, xml",
    ),
    "param with no location": (
        operation(params={"name": {"doc": "A name."}}),
        "params.name: needs exactly one of",
    ),
    "enum on an int param": (
        operation(
            params={"size": {"query": "size", "type": "int", "enum": ["1", "2"], "doc": "N"}}
        ),
        "params.size: enum lists str values of a str parameter",
    ),
    "enum with a non-str value": (
        operation(params={"mode": {"header": "x-mode", "enum": ["on", 1], "doc": "Mode."}}),
        "params.mode: enum lists str values",
    ),
    "xml param not used in request_body": (
        operation(
            params={"zone": xml_param(), "region": xml_param()},
            request_body={"Cfg": {"Zone": "$zone"}},
        ),
        "xml parameter region is not used in request_body",
    ),
    "xml param without request_body": (
        operation(params={"zone": xml_param()}),
        "xml parameters need a request_body",
    ),
    "request_body $ref to an undeclared param": (
        operation(request_body={"Cfg": {"Zone": "$zone"}}),
        "request_body.Cfg.Zone: $zone does not name a parameter declared with xml: true",
    ),
    "request_body $ref to a header param": (
        operation(
            params={"zone": {"header": "x-zone", "doc": "Zone."}},
            request_body={"Cfg": {"Zone": "$zone"}},
        ),
        "$zone does not name a parameter declared with xml: true",
    ),
    "request_body with two roots": (
        operation(
            params={"zone": xml_param()},
            request_body={"A": {"Zone": "$zone"}, "B": {"Zone": "$zone"}},
        ),
        "request_body holds exactly one root element",
    ),
    "request_body leaf without $": (
        operation(request_body={"Cfg": {"Zone": "zone"}}),
        "request_body.Cfg.Zone: a body element holds $parameter or a mapping",
    ),
    "unknown response type": (
        operation(response={"body": {"FooResult": {"Count": "integer"}}}),
        "response.body.FooResult.Count: unknown type 'integer'",
    ),
    "unknown shape in a list": (
        operation(response={"body": {"FooResult": {"Items": "list[Thing]"}}}),
        "response.body.FooResult.Items: unknown type 'Thing'",
    ),
    "list of lists": (
        operation(response={"body": {"FooResult": {"Rows": "list[list[str]]"}}}),
        "response.body.FooResult.Rows: lists of lists are not supported",
    ),
    "response root not a structure": (
        operation(response={"body": {"FooResult": "list[Owner]"}}),
        "response.body: the root is a structure or str",
    ),
    "response body and payload": (
        operation(response={"body": {"FooResult": {"N": "int"}}, "payload": True}),
        "response: body, payload and event_stream exclude each other",
    ),
    "unknown response key": (
        operation(response={"status": 200}),
        "response: unknown key(s) status",
    ),
    "unknown common response header": (
        operation(response={"headers": {"etag": "common"}}),
        "response.headers.etag: no common response header 'etag'",
    ),
    "response header map without header_prefix": (
        operation(response={"headers": {"meta": {"header": "x-meta", "type": "map"}}}),
        "response.headers.meta: type is str, int or bool for a header",
    ),
    "two payload params": (
        operation(
            http="PUT",
            params={"a": {"payload": True, "doc": "A."}, "b": {"payload": True, "doc": "B."}},
        ),
        "at most one payload parameter",
    ),
    "payload not true": (
        operation(params={"content": {"payload": "yes", "doc": "Bytes."}}),
        "params.content: payload must be true",
    ),
    "map param without header_prefix": (
        operation(params={"tags": {"header": "x-tags", "type": "map", "doc": "Tags."}}),
        "params.tags: type map goes with header_prefix or xml",
    ),
    "unknown param type": (
        operation(params={"n": {"query": "n", "type": "float", "doc": "N."}}),
        "params.n: type must be one of",
    ),
    "unknown default_from": (
        operation(params={"zone": xml_param(default_from="zone")}, request_body={"C": "$zone"}),
        "params.zone: default_from must be one of region",
    ),
    "param without doc": (
        operation(params={"n": {"query": "n"}}),
        "params.n: needs a doc line",
    ),
    "param not snake_case": (
        operation(params={"MaxKeys": {"query": "max-keys", "doc": "N."}}),
        "parameter name 'MaxKeys' must be a snake_case identifier",
    ),
    "param named after a keyword": (
        operation(params={"class": {"query": "class", "doc": "C."}}),
        "parameter name 'class' must be a snake_case identifier",
    ),
    "fixed query value not a str": (
        operation(query={"list-type": 2}),
        "query maps fixed query keys to str values",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_operation_mistake(tmp_path: Path, mistake: str) -> None:
    text, problem = MISTAKES[mistake]
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))
    assert_reported(message, "spec/ops.yaml: GetFoo", problem)
    assert len(message.splitlines()) == 1, message


@pytest.mark.parametrize("name", ["bucket", "key", "self"])
def test_reserved_param_names(tmp_path: Path, name: str) -> None:
    text = operation(params={name: {"query": name, "doc": "Implied."}})
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))
    assert_reported(
        message, "spec/ops.yaml: GetFoo", f"parameter {name!r} is implied by the target or reserved"
    )


def test_operation_name_not_pascal_case(tmp_path: Path) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": operation("get_foo")}))
    assert_reported(message, "spec/ops.yaml: get_foo", "PascalCase")


def test_operation_not_a_mapping(tmp_path: Path) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": "GetFoo: [GET, service]\n"}))
    assert_reported(message, "spec/ops.yaml: GetFoo", "an operation must be a mapping")


def test_duplicate_operation_across_files(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"a.yaml": operation(), "b.yaml": operation(doc="Again.")})
    message = catalog_error(spec)
    assert_reported(message, "spec/b.yaml: GetFoo", "duplicate operation (also in spec/a.yaml)")


def test_operations_in_subfolders_are_named_by_path(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"a.yaml": operation(), "more/b.yaml": operation()})
    message = catalog_error(spec)
    assert_reported(
        message, "spec/more/b.yaml: GetFoo", "duplicate operation (also in spec/a.yaml)"
    )


def test_duplicate_operation_in_one_file(tmp_path: Path) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": operation() + operation()}))
    assert_reported(message, "ops.yaml", "duplicate key 'GetFoo'")


def test_duplicate_key_inside_an_operation(tmp_path: Path) -> None:
    text = """\
        GetFoo:
          doc: Fetch the foo.
          http: GET
          target: service
          http: PUT
    """
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))
    assert_reported(message, "ops.yaml", "duplicate key 'http'")
    assert "line 5" in message  # the entry is found by its line


def test_duplicate_shared_param(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()}, params=PARAMS + PARAMS)
    assert_reported(catalog_error(spec), "params.yaml", "duplicate key 'expected_bucket_owner'")


def test_bad_yaml(tmp_path: Path) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": "GetFoo: {doc: [\n"}))
    assert_reported(message, "ops.yaml")


def test_file_not_a_mapping(tmp_path: Path) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": "- GetFoo\n"}))
    assert_reported(message, "ops.yaml", "must hold a mapping")


@pytest.mark.parametrize("shared", ["shapes.yaml", "params.yaml", "response-headers.yaml"])
def test_missing_shared_file(tmp_path: Path, shared: str) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()})
    (spec / shared).unlink()
    assert_reported(catalog_error(spec), shared, "missing")


def test_missing_error_shape(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()}, shapes="Owner:\n  ID: str\n")
    message = catalog_error(spec)
    assert_reported(message, "spec/shapes.yaml", "the Error shape (S3's error body) is required")


def test_unknown_type_in_a_shape(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()}, shapes=SHAPES + "Tag:\n  Key: text\n")
    assert_reported(catalog_error(spec), "spec/shapes.yaml: Tag.Key", "unknown type 'text'")


def test_shape_not_a_mapping(tmp_path: Path) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()}, shapes=SHAPES + "Tag: str\n")
    assert_reported(catalog_error(spec), "spec/shapes.yaml: Tag", "a shape must be a mapping")


def test_inline_structures_with_one_name(tmp_path: Path) -> None:
    """An inline root is named <Operation>Result; a shape of that name must not differ."""
    body = {"body": {"FooResult": {"Count": "int"}}}
    spec = write_catalog(
        tmp_path,
        {"ops.yaml": operation(response=body)},
        shapes=SHAPES + "GetFooResult:\n  Name: str\n",
    )
    assert_reported(catalog_error(spec), "GetFoo", "two different structures would be named")


@pytest.mark.parametrize(
    ("shapes", "names"),
    [
        ("Node:\n  Next: Node\n", ["Node"]),
        ("Node:\n  Kids:\n    Kid: list[Node]\n", ["Node"]),
        ("Ping:\n  Pong: Pong\nPong:\n  Ping: Ping\n", ["Ping", "Pong"]),
    ],
    ids=["self", "through an inline structure", "mutual"],
)
def test_shape_cycle(tmp_path: Path, shapes: str, names: list[str]) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation()}, shapes=SHAPES + shapes)
    message = catalog_error(spec)
    assert_reported(message, "cycle", *names)


def test_shape_cycle_is_reported_with_other_problems(tmp_path: Path) -> None:
    spec = write_catalog(
        tmp_path, {"ops.yaml": operation(colour="red")}, shapes=SHAPES + "Node:\n  Next: Node\n"
    )
    message = catalog_error(spec)
    assert_reported(message, "spec/shapes.yaml", "Node", "cycle")
    assert_reported(message, "spec/ops.yaml: GetFoo", "unknown key(s) colour")


def test_method_names_collide(tmp_path: Path) -> None:
    spec = write_catalog(
        tmp_path, {"ops.yaml": operation("GetObjectAcl") + operation("GetObjectACL")}
    )
    message = catalog_error(spec)
    assert_reported(message, "spec/ops.yaml", "GetObjectAcl", "GetObjectACL", "share a method name")


def test_one_param_name_has_one_enum(tmp_path: Path) -> None:
    def mode(*values: str) -> dict[str, Any]:
        return {"mode": {"header": "x-mode", "enum": list(values), "doc": "Mode."}}

    spec = write_catalog(
        tmp_path,
        {
            "ops.yaml": operation("GetBar", params=mode("on", "off"))
            + operation("GetFoo", params=mode("on"))
        },
    )
    assert_reported(
        catalog_error(spec),
        "spec/ops.yaml: GetFoo: params.mode",
        "enum differs from the one in GetBar",
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    spec = write_catalog(
        tmp_path,
        {
            "a.yaml": operation("GetFoo", http="FETCH", colour="red")
            + operation("GetBar", params={"bucket": {"query": "b", "doc": "B."}}),
            "b.yaml": operation("GetBaz", target=DROP)
            + operation("GetFoo")
            + operation("GetQux", response={"body": {"R": {"N": "float"}}}),
        },
        shapes="Owner:\n  ID: strr\n",
    )
    message = catalog_error(spec)
    expected = [
        ("spec/shapes.yaml", "the Error shape"),
        ("spec/shapes.yaml: Owner.ID", "unknown type 'strr'"),
        ("spec/a.yaml: GetFoo", "unknown key(s) colour"),
        ("spec/a.yaml: GetFoo", "http must be one of"),
        ("spec/a.yaml: GetBar", "parameter 'bucket' is implied by the target or reserved"),
        ("spec/b.yaml: GetBaz", "missing target"),
        ("spec/b.yaml: GetFoo", "duplicate operation (also in spec/a.yaml)"),
        ("spec/b.yaml: GetQux", "unknown type 'float'"),
    ]
    for parts in expected:
        assert_reported(message, *parts)
    assert len(message.splitlines()) == len(expected)


# --- mistakes that would otherwise produce broken code or be silently ignored


@pytest.mark.parametrize("name", ["query", "headers", "data", "out", "help"])
def test_param_named_like_a_method_local(tmp_path: Path, name: str) -> None:
    text = operation(params={name: {"query": "q", "doc": "Q."}})
    catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))


def test_enum_alias_shadowing_a_generated_name(tmp_path: Path) -> None:
    text = operation(params={"response": {"header": "x-r", "enum": ["a"], "doc": "R."}})
    catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))


@pytest.mark.parametrize(
    "param",
    [
        {"header": "x-tier", "enum": "HOT", "doc": "Tier."},
        {"xml": True, "omit": "us-east-1", "doc": "Region."},
    ],
    ids=["enum", "omit"],
)
def test_enum_and_omit_must_be_lists(tmp_path: Path, param: dict[str, Any]) -> None:
    text = operation(
        params={"zone": param}, request_body={"C": "$zone"} if "xml" in param else DROP
    )
    catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))


def test_default_from_only_on_xml_params(tmp_path: Path) -> None:
    text = operation(params={"zone": {"header": "x-zone", "default_from": "region", "doc": "Z."}})
    catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))


@pytest.mark.parametrize(
    "keys",
    [{"params": ["a"]}, {"response": ["a"]}, {"response": {"headers": ["a"]}}],
    ids=["params", "response", "response.headers"],
)
def test_list_instead_of_mapping(tmp_path: Path, keys: dict[str, Any]) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": operation(**keys)}))
    assert_reported(message, "spec/ops.yaml: GetFoo")


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PutObject", "put_object"),
        ("ListObjectsV2", "list_objects_v2"),
        ("GetBucketAcl", "get_bucket_acl"),
        ("CreateMultipartUpload", "create_multipart_upload"),
        ("HeadObject", "head_object"),
        ("GetObjectACL", "get_object_acl"),  # same as GetObjectAcl: the catalog refuses both
        ("GetBucketCORS", "get_bucket_cors"),
        ("ACLForObject", "acl_for_object"),
        ("GetACLForObject", "get_acl_for_object"),
        ("SSECustomerKey", "sse_customer_key"),
        ("GetObjectMD5", "get_object_md5"),
        ("GetMD5Hash", "get_md5_hash"),
        ("ListV2Objects", "list_v2_objects"),
        ("GetS3Object", "get_s3_object"),
        ("ListObjectsV2Result", "list_objects_v2_result"),
        ("Error", "error"),
        ("ABC", "abc"),
    ],
)
def test_snake(name: str, expected: str) -> None:
    assert snake(name) == expected
    assert upper_snake(name) == expected.upper()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("acl", "Acl"), ("storage_class", "StorageClass"), ("sse_kms_key_id", "SseKmsKeyId")],
)
def test_pascal(name: str, expected: str) -> None:
    assert pascal(name) == expected


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"doc": 'Says """ here.'}, 'may not hold """'),
        ({"doc": "Back\\slash."}, "backslash"),
        ({"doc": " "}, "needs a doc line"),
        ({"content_md5": "yes"}, "content_md5 must be true or false"),
        ({"creates_bucket": "yes", "target": "bucket"}, "creates_bucket must be true or false"),
        ({"creates_bucket": True}, "creates_bucket goes with target bucket"),
        ({"request_checksum": "yes"}, "request_checksum must be true or false"),
        ({"directory_bucket": "zonal"}, "directory_bucket must be one of control, no_session"),
        (
            {"content_md5": True, "request_checksum": True},
            "content_md5 and request_checksum exclude each other",
        ),
        ({"response_checksum": True}, "response_checksum goes with a data answer"),
        ({"response": {"error_in_200": 1}}, "response: error_in_200 must be true or false"),
        (
            {"response": {"error_in_200": True, "payload": True}},
            "response: error_in_200 goes with an XML answer",
        ),
        (
            {"response": {"error_in_200": True, "event_stream": True}},
            "response: error_in_200 goes with an XML answer",
        ),
        ({"response": {"payload": "false"}}, "payload must be true or false"),
        (
            {"params": {"zone": {"query": "z", "required": "no", "doc": "Z."}}},
            "required must be true or false",
        ),
        (
            {"params": {"zone": {"query": "z", "required": True, "default": "a", "doc": "Z."}}},
            "a required parameter has no default",
        ),
    ],
)
def test_docs_and_flags_are_checked(tmp_path: Path, keys: dict[str, Any], problem: str) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": operation(**keys)}))
    assert_reported(message, "spec/ops.yaml", "GetFoo", problem)


def test_duplicate_key_error_names_the_file(tmp_path: Path) -> None:
    text = "GetFoo:\n  doc: A.\n  doc: B.\n  http: GET\n  target: service\n"
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))
    assert "ops.yaml" in message
    assert "duplicate key 'doc'" in message


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"params": {"zone": xml_param(type="list[Nowhere]")}}, "unknown type 'Nowhere'"),
        ({"params": {"zone": xml_param(type="int")}, "request_body": {"C": {"Z": "$zone"}}}, None),
        ({"params": {"zone": xml_param(type="shape")}}, "type must be one of"),
        ({"params": {"zone": {"query": "z", "type": "Owner", "doc": "Z."}}}, "type must be one of"),
        (
            {"params": {"b": {"payload": True, "type": "int", "doc": "B."}}},
            "a payload parameter is str or bytes",
        ),
        (
            {"params": {"t": {"header": "x-t", "timestamp_format": "iso8601", "doc": "T."}}},
            "timestamp_format is one of http-date, iso8601, for a timestamp",
        ),
        (
            {
                "params": {"b": {"payload": True, "doc": "B."}, "zone": xml_param()},
                "request_body": {"C": {"Z": "$zone"}},
            },
            "a payload or a request_body, not both",
        ),
    ],
)
def test_shape_and_payload_types(tmp_path: Path, keys: dict[str, Any], problem: str | None) -> None:
    spec = write_catalog(tmp_path, {"ops.yaml": operation(**keys)})
    if problem is None:
        load_catalog(spec)
        return
    assert_reported(catalog_error(spec), "spec/ops.yaml", "GetFoo", problem)


def test_shaped_parameter_is_typed_by_its_shape(tmp_path: Path) -> None:
    keys = {
        "params": {"owners": xml_param(type="list[Owner]"), "one": xml_param(type="Owner")},
        "request_body": {"C": {"O": "$owners", "P": "$one"}},
    }
    catalog = load_catalog(write_catalog(tmp_path, {"ops.yaml": operation(**keys)}))
    owners, one = catalog.operations[0].params
    assert owners.type == one.type == "shape"
    assert owners.shape is not None and owners.shape.is_list and owners.shape.struct == "Owner"
    assert one.shape is not None and not one.shape.is_list


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"servers": ["minio"]}, "servers lists some of radosgw, moto"),
        ({"servers": "radosgw"}, "servers lists some of radosgw, moto"),
        ({"deprecated": ""}, "deprecated: needs a doc line"),
    ],
)
def test_servers_and_deprecation(tmp_path: Path, keys: dict[str, Any], problem: str) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": operation(**keys)}))
    assert_reported(message, "spec/ops.yaml", "GetFoo", problem)


def test_long_inline_structure_names_ask_for_a_shape(tmp_path: Path) -> None:
    deep = {"Alpha" * 5: {"Beta" * 5: {"Gamma" * 5: {"Value": "str"}}}}
    message = catalog_error(
        write_catalog(tmp_path, {"ops.yaml": operation(response={"body": {"FooResult": deep}})})
    )
    assert_reported(message, "spec/ops.yaml", "GetFoo", "make it a shape")


def test_a_text_root_answer(tmp_path: Path) -> None:
    spec = write_catalog(
        tmp_path, {"ops.yaml": operation(response={"body": {"LocationConstraint": "str"}})}
    )
    (op,) = load_catalog(spec).operations
    assert (op.response_root, op.response_struct) == ("LocationConstraint", None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (operation("GetFoo\n"), "PascalCase"),
        (operation(params={"max_keys\n": {"query": "max-keys", "doc": "At most."}}), "max_keys"),
        (operation(target="service", path="/admin\n"), "path"),
    ],
)
def test_a_name_with_a_final_newline_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": text}))
    assert problem in message


def test_what_is_special_about_an_operation_is_carried_by_its_entry(tmp_path: Path) -> None:
    text = operation("PutFoo", target="bucket", http="PUT", creates_bucket=True)
    text += operation("CopyFoo", target="object", http="PUT", response={"error_in_200": True})
    text += operation("GetFoo", response={"payload": True}, response_checksum=True)
    text += operation("PutBar", http="PUT", request_checksum=True)
    catalog = load_catalog(write_catalog(tmp_path, {"ops.yaml": text}))
    flags = {
        op.name: (op.creates_bucket, op.error_in_200, op.request_checksum, op.response_checksum)
        for op in catalog.operations
    }
    assert flags == {
        "PutFoo": (True, False, False, False),
        "CopyFoo": (False, True, False, False),
        "GetFoo": (False, False, False, True),
        "PutBar": (False, False, True, False),
    }


# --- command groups and catalog files --------------------------------------------------------


def test_group_comes_from_the_file_unless_the_operation_names_one(tmp_path: Path) -> None:
    ops = "group: objects\n" + operation(group=DROP) + operation("GetBar", group="multipart")
    catalog = load_catalog(write_catalog(tmp_path, {"ops.yaml": ops}))
    assert {op.name: op.group for op in catalog.operations} == {
        "GetBar": "multipart",
        "GetFoo": "objects",
    }


@pytest.mark.parametrize(
    ("ops", "got"),
    [
        (operation(group=DROP), "None"),
        ("group: parts\n" + operation(group=DROP), "'parts'"),
        (operation(group=["objects"]), "['objects']"),
    ],
    ids=["missing", "unknown in the file", "not a name"],
)
def test_group_must_be_a_known_one(tmp_path: Path, ops: str, got: str) -> None:
    message = catalog_error(write_catalog(tmp_path, {"ops.yaml": ops}))
    assert_reported(message, "spec/ops.yaml: GetFoo", "group must be one of buckets", got)


def test_each_file_holds_its_own_mixin(tmp_path: Path) -> None:
    files = {"ops.yaml": operation(), "more/ops.yaml": operation("GetBar")}
    catalog = load_catalog(write_catalog(tmp_path, files))
    found = [(f.source, f.class_name, [op.name for op in f.operations]) for f in catalog.files()]
    assert found == [
        ("spec/more/ops.yaml", "MoreOpsOperations", ["GetBar"]),
        ("spec/ops.yaml", "OpsOperations", ["GetFoo"]),
    ]


@pytest.mark.parametrize(
    ("files", "where", "problem"),
    [
        ({"Ops.yaml": operation()}, "spec/Ops.yaml", "lowercase-with-hyphens"),
        ({"my_ops.yaml": operation()}, "spec/my_ops.yaml", "lowercase-with-hyphens"),
        (
            {"a-b.yaml": operation(), "a/b.yaml": operation("GetBar")},
            "spec/a-b.yaml",
            "class ABOperations would be spec/a/b.yaml's too",
        ),
    ],
    ids=["capital", "underscore", "same class"],
)
def test_file_names_make_distinct_mixins(
    tmp_path: Path, files: dict[str, str], where: str, problem: str
) -> None:
    assert_reported(catalog_error(write_catalog(tmp_path, files)), where, problem)


def test_catalog_groups_have_headings_in_the_cli() -> None:
    from s3wire.cli.groups import GROUPS as HEADINGS
    from s3wire.codegen.catalog import GROUPS

    assert set(GROUPS) <= {name for name, _ in HEADINGS}
