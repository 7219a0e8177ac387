"""The catalog (spec/) against AWS's machine-readable S3 model, as botocore ships it.

For every operation of botocore's S3 model: the catalog has it, with the same method, the same
path and fixed query, every header, header prefix and query parameter under the same wire name,
the same body (raw payload or XML root), every repeated element of the answer declared a list at
the same place, every response header surfaced, and the same allowed values (enums) for each
header, query parameter and request body element. Differences fail unless they are listed below
with a reason. `python tests/unit/test_catalog_vs_botocore.py` prints, for each operation the
catalog still lacks, what botocore's model says about its wire form (never its documentation).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import botocore.session
from botocore.model import (
    ListShape,
    OperationModel,
    ServiceModel,
    Shape,
    StringShape,
    StructureShape,
)

from s3wire.codegen.catalog import load_catalog
from s3wire.codegen.model import Catalog, Operation, XmlNode, snake

REPO_ROOT = Path(__file__).resolve().parents[2]

# While False, operations missing from the catalog are printed, not failed. Flip it to True once
# the catalog holds the whole S3 API.
REQUIRE_FULL_COVERAGE = True

# Differences allowed in every operation, keyed "<kind> <subject>" (see Mismatch.rule).
ALLOWED_EVERYWHERE: dict[str, str] = {
    # The SDKs' own hint: which checksum the SDK should compute and send in x-amz-checksum-*.
    # S3 reads the x-amz-checksum-* header itself; the hint is not part of S3's wire contract.
    "header x-amz-sdk-checksum-algorithm": "SDK-only: the SDK's checksum choice, not S3's input",
    # The transport sets Content-Length from the body it sends; it is never a parameter.
    "header Content-Length": "set by the transport from the body",
    # botocore types the SSE-C algorithm headers as free strings; AES256 is the only value S3 takes.
    "extra-enum-value x-amz-server-side-encryption-customer-algorithm=AES256": "S3's only value",
    "extra-enum-value x-amz-copy-source-server-side-encryption-customer-algorithm=AES256": (
        "S3's only value"
    ),
    "extra-enum-value x-amz-fwd-header-x-amz-server-side-encryption-customer-algorithm=AES256": (
        "S3's only value"
    ),
    # One acl parameter serves buckets and objects, with every canned ACL of S3's documentation;
    # botocore splits them into BucketCannedACL and ObjectCannedACL.
    "extra-enum-value x-amz-acl=log-delivery-write": "one canned-ACL list for buckets and objects",
    "extra-enum-value x-amz-acl=aws-exec-read": "one canned-ACL list for buckets and objects",
    "extra-enum-value x-amz-acl=bucket-owner-read": "one canned-ACL list for buckets and objects",
    "extra-enum-value x-amz-acl=bucket-owner-full-control": (
        "one canned-ACL list for buckets and objects"
    ),
}

# Differences allowed in one operation, keyed "<Operation>: <kind> <subject>" (Mismatch.key),
# for example "PutObject: header x-amz-write-offset-bytes": "<why the catalog leaves it out>".
ALLOWED: dict[str, str] = {
    # botocore's TopicConfigurationDeprecated has both Events (a flattened list of Event) and the
    # older single Event, one element name; the walk keeps the single one. Event repeats on S3.
    "GetBucketNotification: response-list TopicConfiguration.Event": "Events and Event: one name",
}

# Parameters the catalog takes as free text where botocore lists values, keyed
# "<Operation>: <wire name>" (a body element's as "<path below the root>"), with the reason.
FREE_TEXT: dict[str, str] = {
    "CreateBucket: <LocationConstraint>": (
        "any region name: S3-compatible servers have their own (radosgw's zonegroups)"
    ),
}

# Known catalog bugs: none left (an entry here would let a known gap pass until fixed).
# Gaps this test found in operations already in the catalog (members that newer S3 releases
# added, mostly), listed only so that the test passes until spec/ is fixed. Each entry goes away
# with its fix: a fixed entry matches nothing and fails the test as stale.
KNOWN_CATALOG_BUGS: dict[str, str] = {}

S3_MODEL_NAME = "s3"
SPEC_DIR = REPO_ROOT / "spec"
# The request path each catalog target implies (with the Bucket and Key members); a service
# operation's path is its own `path` ("/" by default).
TARGET_PATHS = {"bucket": "/{Bucket}", "object": "/{Bucket}/{Key+}"}
IMPLIED_URI_MEMBERS = {"Bucket", "Key"}
# A query key the SDKs add to tell operations apart in logs; S3 ignores it.
SDK_QUERY_KEYS = {"x-id"}
# botocore's member locations -> the catalog's parameter locations.
PARAM_LOCATIONS = {"header": "header", "headers": "header_prefix", "querystring": "query"}
# The header an operation with `content_md5: true` sends without a parameter.
CONTENT_MD5 = ("header", "content-md5")


@dataclass(frozen=True)
class Mismatch:
    """One difference between the catalog and botocore's model, in one operation."""

    operation: str
    kind: str
    subject: str
    detail: str

    @property
    def rule(self) -> str:
        """The difference without its operation: the key of ALLOWED_EVERYWHERE."""
        return f"{self.kind} {self.subject}".rstrip()

    @property
    def key(self) -> str:
        """The key of ALLOWED and KNOWN_CATALOG_BUGS."""
        return f"{self.operation}: {self.rule}"


# An XML element's path below the root, and None if it appears once, else how it repeats: in
# botocore's model "flattened" (the element repeats in its parent) or "wrapped" (it repeats
# inside a wrapper element); in the catalog "list" (a list[...] member) or "each" ($each).
Element = tuple[tuple[str, ...], str | None]


@functools.cache
def s3_model() -> ServiceModel:
    """botocore's S3 model."""
    return botocore.session.get_session().get_service_model(S3_MODEL_NAME)


@functools.cache
def catalog() -> Catalog:
    """The checked catalog."""
    return load_catalog(SPEC_DIR)


def missing_operations() -> list[str]:
    """Operations of botocore's S3 model that the catalog does not have yet."""
    ours = {op.name for op in catalog().operations}
    return [name for name in s3_model().operation_names if name not in ours]


def catalog_host_prefix(model: OperationModel) -> str | None:
    """botocore's host prefix as the catalog writes it: '{RequestRoute}.' -> '{request_route}.'."""
    prefix = model.endpoint.get("hostPrefix") if model.endpoint else None
    if prefix is None:
        return None
    return re.sub(r"\{(\w+)\}", lambda m: f"{{{snake(m[1])}}}", str(prefix))


def split_request_uri(request_uri: str) -> tuple[str, dict[str, str]]:
    """'/{Bucket}?list-type=2' -> ('/{Bucket}', {'list-type': '2'}), SDK-only keys dropped."""
    path, _, query = request_uri.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    return path, {key: value for key, value in pairs if key not in SDK_QUERY_KEYS}


def param_place(location: str, wire: str) -> tuple[str, str]:
    """Where a parameter goes: header names compare case-insensitively, query keys exactly."""
    if location == "payload":
        return location, ""
    return location, wire if location == "query" else wire.lower()


def element_name(member_name: str, shape: Shape) -> str:
    """A member's element name, as botocore's RestXMLParser._member_key_name reads it.

    An XML attribute is "@name", as the catalog writes it ("@xsi:type").
    """
    if shape.serialization.get("xmlAttribute"):
        return f"@{shape.serialization['name']}"
    if isinstance(shape, ListShape) and shape.serialization.get("flattened"):
        item_name = shape.member.serialization.get("name")
        if item_name is not None:
            return str(item_name)
    return str(shape.serialization.get("name", member_name))


def body_members(shape: StructureShape) -> dict[str, Shape]:
    """The members of a structure that are in its XML (not headers, query or path)."""
    return {
        name: member
        for name, member in shape.members.items()
        if "location" not in member.serialization
    }


def xml_elements(
    members: dict[str, Shape], parent: tuple[str, ...] = (), trail: frozenset[str] = frozenset()
) -> Iterator[Element]:
    """Every element below a structure in botocore's model, with how it repeats."""
    for name, shape in members.items():
        path = (*parent, element_name(name, shape))
        if isinstance(shape, ListShape):
            if shape.serialization.get("flattened"):
                layout = "flattened"
            else:
                yield path, None
                path = (*path, str(shape.member.serialization.get("name", "member")))
                layout = "wrapped"
            yield path, layout
            shape = shape.member
        else:
            yield path, None
        if shape.type_name == "map":
            raise NotImplementedError(f"an XML map at {'.'.join(path)}: teach this walk maps")
        if isinstance(shape, StructureShape) and shape.name not in trail:
            yield from xml_elements(body_members(shape), path, trail | {shape.name})


def catalog_elements(struct_name: str, parent: tuple[str, ...] = ()) -> Iterator[Element]:
    """Every element of a catalog response structure; a list[...] member repeats."""
    for element, ref in catalog().struct(struct_name).members:
        path = (*parent, element)
        yield path, "list" if ref.is_list else None
        if ref.struct:
            yield from catalog_elements(ref.struct, path)


def request_elements(node: XmlNode, parent: tuple[str, ...] = ()) -> Iterator[Element]:
    """Every element of a catalog request body below its root; a $each element repeats."""
    for child in node.children:
        path = (*parent, child.tag)
        yield path, "each" if child.each else None
        yield from request_elements(child, path)


def request_leaves(
    node: XmlNode, parent: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every element of a catalog request body holding a parameter's value, with that parameter."""
    for child in node.children:
        path = (*parent, child.tag)
        if child.value and not child.value.startswith("."):
            yield path, child.value
        yield from request_leaves(child, path)


def member_at(members: dict[str, Shape], path: tuple[str, ...]) -> Shape | None:
    """The shape of the element at a path below a structure in botocore's model (None if absent)."""
    by_element = {element_name(name, shape): shape for name, shape in members.items()}
    shape, rest = by_element.get(path[0]), path[1:]
    if isinstance(shape, ListShape) and rest:
        if not shape.serialization.get("flattened"):
            rest = rest[1:]  # the wrapper's item element
        shape = shape.member
    if shape is None or not rest:
        return shape
    return member_at(body_members(shape), rest) if isinstance(shape, StructureShape) else None


def xml_payload(shape: StructureShape | None) -> tuple[str, dict[str, Shape]] | Shape | None:
    """A request's or answer's body: (root element, its members) for XML, the member for raw.

    The root of an answer without a payload member is not in botocore's model: it is "".
    """
    if shape is None:
        return None
    payload = shape.serialization.get("payload")
    if payload is None:
        members = body_members(shape)
        return (str(shape.serialization.get("name", "")), members) if members else None
    member = shape.members[payload]
    if isinstance(member, StructureShape) and not member.serialization.get("eventstream"):
        return str(member.serialization.get("name", member.name)), body_members(member)
    return member


class Comparison:
    """Collects the mismatches of one operation present in both models."""

    def __init__(self, model: OperationModel, op: Operation) -> None:
        self.model = model
        self.op = op
        self.found: list[Mismatch] = []

    def mismatch(self, kind: str, subject: str, detail: str) -> None:
        self.found.append(Mismatch(self.op.name, kind, subject, detail))

    def run(self) -> list[Mismatch]:
        self.request_line()
        self.parameters()
        self.request_body()
        self.response_body()
        self.response_headers()
        return self.found

    def request_line(self) -> None:
        method = self.model.http["method"]
        if method != self.op.http:
            self.mismatch("method", "", f"botocore {method}, catalog {self.op.http}")
        path, query = split_request_uri(self.model.http["requestUri"])
        ours_path = TARGET_PATHS.get(self.op.target, self.op.path)
        if path != ours_path:
            self.mismatch("uri", "", f"botocore path {path}, catalog {ours_path}")
        host_prefix = catalog_host_prefix(self.model)
        if host_prefix != self.op.host_prefix:
            self.mismatch(
                "host-prefix", "", f"botocore {host_prefix}, catalog {self.op.host_prefix}"
            )
        ours = dict(self.op.query)
        for key in sorted(set(query) | set(ours)):
            if query.get(key) != ours.get(key):
                self.mismatch(
                    "fixed-query", key, f"botocore {query.get(key)!r}, catalog {ours.get(key)!r}"
                )

    def parameters(self) -> None:
        """Headers, header prefixes, query parameters, path segments and a raw payload."""
        ours = {param_place(p.location, p.wire): p for p in self.op.params if p.location != "xml"}
        sent = set(ours) | ({CONTENT_MD5} if self.op.content_md5 else set())  # s3wire computes it
        expected: set[tuple[str, str]] = set()
        input_shape = self.model.input_shape
        for name, member in (input_shape.members if input_shape else {}).items():
            location = member.serialization.get("location")
            wire = str(member.serialization.get("name", name))
            if location == "uri" and name not in IMPLIED_URI_MEMBERS:
                self.mismatch("uri-member", wire, f"{name} is a path segment; no target has it")
            elif location in PARAM_LOCATIONS:
                place = param_place(PARAM_LOCATIONS[location], wire)
                expected.add(place)
                if place not in sent:
                    self.mismatch(location, wire, f"{name} has no catalog parameter {place}")
                elif place in ours:
                    self.enum_values(wire, member, ours[place].enum)
        payload = xml_payload(input_shape)
        if isinstance(payload, Shape):
            expected.add(("payload", ""))
            if ("payload", "") not in sent:
                self.mismatch("payload", payload.name, "a raw body: no payload parameter")
        for place, param in ours.items():
            if place not in expected:
                self.mismatch("extra-param", param.name, f"{place} is not in botocore's input")

    def enum_values(self, wire: str, member: Shape, ours: tuple[str, ...]) -> None:
        """A parameter's allowed values: each of botocore's enum values, and no other."""
        if isinstance(member, ListShape):  # a comma-separated header of enum values
            if not ours:
                return  # the catalog takes the list as free text (x-amz-object-attributes)
            member = member.member
        theirs = tuple(member.enum) if isinstance(member, StringShape) else ()
        if not ours and (not theirs or f"{self.op.name}: {wire}" in FREE_TEXT):
            return
        for value in sorted(set(theirs) - set(ours)):
            self.mismatch("enum-value", f"{wire}={value}", "in botocore's enum; catalog lacks it")
        for value in sorted(set(ours) - set(theirs)):
            self.mismatch("extra-enum-value", f"{wire}={value}", "not in botocore's enum")

    def request_body(self) -> None:
        payload = xml_payload(self.model.input_shape)
        body = self.op.request_body
        if not isinstance(payload, tuple):
            if body is not None:
                self.mismatch("request-body", body.tag, "botocore sends no XML body")
            return
        root, members = payload
        if body is None:
            self.mismatch("request-body", root, "botocore sends this XML body; catalog none")
            return
        if body.tag != root:
            self.mismatch("request-body", root, f"catalog root element {body.tag}")
        theirs = dict(xml_elements(members))
        for path, each in request_elements(body):
            dotted = ".".join(path)
            if path not in theirs:
                self.mismatch("request-element", dotted, "not an element in botocore's model")
            elif each and not theirs[path]:  # (sending one of a list is fine)
                self.mismatch("request-list", dotted, "repeated by the catalog, single in botocore")
        params = {param.name: param for param in self.op.params}
        for path, name in request_leaves(body):
            shape = member_at(members, path)
            if shape is not None and name in params:
                self.enum_values(f"<{'.'.join(path)}>", shape, params[name].enum)

    def response_body(self) -> None:
        payload = xml_payload(self.model.output_shape)
        stream = isinstance(payload, Shape) and bool(payload.serialization.get("eventstream"))
        raw = isinstance(payload, Shape) and not stream
        if raw != self.op.response_payload:
            self.mismatch("response-payload", "", f"botocore raw body: {raw}; catalog differs")
        if stream != self.op.response_event_stream:
            self.mismatch("response-event-stream", "", f"botocore: {stream}; catalog differs")
        if not isinstance(payload, tuple):
            if self.op.response_root is not None:
                self.mismatch("response-body", self.op.response_root, "botocore has no XML body")
            return
        root, members = payload
        theirs = dict(xml_elements(members))
        text_root = (self.op.response_root,)
        if self.op.response_struct is None and theirs == {text_root: None}:
            return  # a root element holding text (GetBucketLocation's LocationConstraint)
        if self.op.response_struct is None:
            self.mismatch("response-body", root, "botocore answers an XML body; catalog none")
            return
        if root and root != self.op.response_root:
            self.mismatch("response-root", root, f"catalog root {self.op.response_root}")
        ours = dict(catalog_elements(self.op.response_struct))
        for path, layout in theirs.items():
            if layout and not ours.get(path):
                state = "not a list" if path in ours else "absent"
                self.mismatch("response-list", ".".join(path), f"{layout} list; catalog {state}")
        for path, is_list in ours.items():
            if path not in theirs:
                self.mismatch("response-element", ".".join(path), "not in botocore's answer")
            elif is_list and not theirs[path]:
                self.mismatch("response-list", ".".join(path), "single element, catalog list")

    def response_headers(self) -> None:
        ours = {
            ("header_prefix" if f.kind == "map" else "header", f.header.lower())
            for f in self.op.fields
        }
        output = self.model.output_shape
        theirs: set[tuple[str, str]] = set()
        for name, member in (output.members if output else {}).items():
            location = member.serialization.get("location")
            if location in ("header", "headers"):
                wire = str(member.serialization.get("name", name))
                place = (PARAM_LOCATIONS[location], wire.lower())
                theirs.add(place)
                if place not in ours:
                    self.mismatch(f"response-{location}", wire, f"{name} has no response field")
        for location, header in sorted(ours - theirs):
            self.mismatch("extra-response-field", header, f"{location} not in botocore's output")


def compare_all() -> list[Mismatch]:
    """Every mismatch of every operation present in both the catalog and botocore's model."""
    model = s3_model()
    names = set(model.operation_names)
    return [
        mismatch
        for op in catalog().operations
        if op.name in names
        for mismatch in Comparison(model.operation_model(op.name), op).run()
    ]


def is_allowed(mismatch: Mismatch) -> bool:
    return (
        mismatch.rule in ALLOWED_EVERYWHERE
        or mismatch.key in ALLOWED
        or mismatch.key in KNOWN_CATALOG_BUGS
    )


def coverage_line() -> str:
    total = len(s3_model().operation_names)
    return f"catalog covers {total - len(missing_operations())}/{total} S3 operations"


def test_catalog_operations_match_botocore() -> None:
    found = compare_all()
    by_kind = Counter(m.kind for m in found)
    failing = [m for m in found if not is_allowed(m)]
    known = [m for m in found if m.key in KNOWN_CATALOG_BUGS]
    used = {m.key for m in found} | {m.rule for m in found}
    stale = sorted(set(ALLOWED) - used) + sorted(set(KNOWN_CATALOG_BUGS) - used)
    stale += sorted(set(ALLOWED_EVERYWHERE) - used)
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items())) or "none"
    summary = (
        f"{coverage_line()}; {len(found)} mismatches by kind: {counts}; of them "
        f"{len(known)} known catalog bugs, {len(found) - len(known) - len(failing)} allowed, "
        f"{len(failing)} failing"
    )
    print(f"\n{summary}")
    lines = [f"{m.key}: {m.detail}" for m in failing]
    lines += [f"stale allow-list entry (matches nothing now): {key}" for key in stale]
    assert not lines, summary + "\n" + "\n".join(lines)


def test_catalog_covers_every_operation() -> None:
    missing = missing_operations()
    unknown = sorted({op.name for op in catalog().operations} - set(s3_model().operation_names))
    print(f"\n{coverage_line()}; missing: {', '.join(missing) or 'none'}")
    assert not unknown, f"catalog operations not in botocore's S3 model: {', '.join(unknown)}"
    if REQUIRE_FULL_COVERAGE:
        assert not missing, f"{coverage_line()}; missing: {', '.join(missing)}"


# --- the summary of missing operations, for the catalog's authors ---------------------------


# Checksum flags the catalog sets where botocore's model does not, with the reason.
CHECKSUM_FLAGS_ALLOWED: dict[str, str] = {}


def checksum_flags(model: OperationModel) -> tuple[bool, bool, bool]:
    """(content_md5, request_checksum, response_checksum) as botocore's httpChecksum trait
    says them: a checksum required, a checksum taken, stored checksums asked for."""
    trait = model.http_checksum or {}
    required = bool(trait.get("requestChecksumRequired"))
    taken = "requestAlgorithmMember" in trait and not required
    return required, taken, "requestValidationModeMember" in trait


def test_catalog_checksum_flags_match_botocore() -> None:
    """content_md5 marks the operations whose body S3 requires a digest of, request_checksum
    those that take a checksum, response_checksum those that answer stored checksums."""
    model = s3_model()
    wrong = []
    for op in catalog().operations:
        if op.name not in model.operation_names:
            continue
        expected = checksum_flags(model.operation_model(op.name))
        ours = (op.content_md5, op.request_checksum, op.response_checksum)
        if ours != expected and op.name not in CHECKSUM_FLAGS_ALLOWED:
            wrong.append(f"{op.name}: catalog {ours}, botocore {expected}")
    assert not wrong, "\n".join(wrong)


def test_catalog_directory_bucket_flags_match_botocore() -> None:
    """directory_bucket marks what botocore's staticContextParams say: control for
    UseS3ExpressControlEndpoint, no_session for DisableS3ExpressSessionAuth."""
    model = s3_model()
    wrong = []
    for op in catalog().operations:
        if op.name not in model.operation_names:
            continue
        static = {p.name: p.value for p in model.operation_model(op.name).static_context_parameters}
        expected = (
            "control"
            if static.get("UseS3ExpressControlEndpoint")
            else "no_session"
            if static.get("DisableS3ExpressSessionAuth")
            else None
        )
        if op.directory_bucket != expected:
            wrong.append(f"{op.name}: catalog {op.directory_bucket}, botocore {expected}")
    assert not wrong, "\n".join(wrong)


def describe_type(shape: Shape) -> str:
    """'string', 'long', 'enum A|B', 'list of enum A|B', 'map', ..."""
    if isinstance(shape, StringShape) and shape.enum:
        return f"enum {'|'.join(shape.enum)}"
    if isinstance(shape, ListShape):
        return f"list of {describe_type(shape.member)}"
    return str(shape.type_name)


def describe_body(payload: tuple[str, dict[str, Shape]] | Shape | None) -> list[str]:
    if payload is None:
        return []
    if isinstance(payload, Shape) and payload.serialization.get("eventstream"):
        return [f"event stream: {payload.name}"]
    if isinstance(payload, Shape):
        return [f"raw body: {payload.name} ({payload.type_name})"]
    root, members = payload
    lines = [f"XML root: {root or '(not named in the model; see the S3 API reference)'}"]
    for path, layout in xml_elements(members):
        if layout == "wrapped":
            lines.append(f"  list {'.'.join(path)} (wrapped: repeated inside {path[-2]})")
        elif layout:
            parent = ".".join(path[:-1]) or "the root"
            lines.append(f"  list {'.'.join(path)} (flattened: repeated directly in {parent})")
    return lines


def input_note(location: str, wire: str) -> str:
    """Why the catalog need not declare an input member, if it need not."""
    if (PARAM_LOCATIONS.get(location), wire.lower()) == CONTENT_MD5:
        return "  [or content_md5: true]"
    reason = ALLOWED_EVERYWHERE.get(f"{location} {wire}")
    return f"  [not needed: {reason}]" if reason else ""


def describe_operation(name: str) -> str:
    """What a catalog author needs from botocore's model: the wire form, no documentation."""
    model = s3_model().operation_model(name)
    path, query = split_request_uri(model.http["requestUri"])
    targets = {"/": "service"} | {path: target for target, path in TARGET_PATHS.items()}
    target = targets.get(path, f"service, path: {path}")
    lines = [f"{name}: {model.http['method']} {model.http['requestUri']}"]
    lines.append(f"  target: {target}, query: {query}")
    host_prefix = catalog_host_prefix(model)
    if host_prefix:
        lines.append(f"  host_prefix: {host_prefix}")
    input_shape = model.input_shape
    required = set(input_shape.required_members) if input_shape else set()
    for member_name, member in (input_shape.members if input_shape else {}).items():
        location = member.serialization.get("location")
        if location and member_name not in IMPLIED_URI_MEMBERS:
            wire = member.serialization.get("name", member_name)
            flag = ", required" if member_name in required else ""
            line = f"  in  {location} {wire}: {member_name} ({describe_type(member)}{flag})"
            lines.append(line + input_note(location, wire))
    lines += [f"  in  {line}" for line in describe_body(xml_payload(input_shape))]
    output = model.output_shape
    lines += [f"  out {line}" for line in describe_body(xml_payload(output))]
    for member_name, member in (output.members if output else {}).items():
        location = member.serialization.get("location")
        if location:
            wire = member.serialization.get("name", member_name)
            lines.append(f"  out {location} {wire}: {member_name} ({describe_type(member)})")
    return "\n".join(lines)


if __name__ == "__main__":
    missing = missing_operations()
    print(f"{coverage_line()}; {len(missing)} missing\n")
    print("\n\n".join(describe_operation(name) for name in missing))
