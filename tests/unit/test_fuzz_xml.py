"""Random and malformed answers for the parser and for whole client calls: the only exceptions
that ever escape are s3wire's own (and a parsed answer is always JSON-serialisable)."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from recording import Recorder, client_with
from requests.structures import CaseInsensitiveDict

import s3wire
from s3wire._generated import shapes
from s3wire._generated.records import LIST_OBJECTS_V2, OPERATIONS
from s3wire._request.answer import to_response
from s3wire.xmljson import parse

FUZZ = settings(derandomize=True, max_examples=500, deadline=None)
SCHEMAS: dict[str, Any] = {
    "ListBucketResult": LIST_OBJECTS_V2.response_schema,
    "Error": shapes.ERROR_XML,
}
LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>'
    b"<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated><NextContinuationToken>t"
    b"</NextContinuationToken><Contents><Key>a&amp;b</Key><Size>42</Size><Owner><ID>o</ID>"
    b"</Owner></Contents><Contents><Key>c</Key></Contents><CommonPrefixes><Prefix>p/</Prefix>"
    b"</CommonPrefixes></ListBucketResult>"
)


def survives(call: Callable[[], object]) -> None:
    """Run a call that may refuse its input, but only with an s3wire exception."""
    try:
        result = call()
        if isinstance(result, s3wire.Response):
            json.dumps(result.to_dict())
            result.raise_for_status()
        else:
            json.dumps(result)
    except s3wire.S3wireError:
        pass


# --- documents -------------------------------------------------------------------------------

names = st.one_of(
    st.sampled_from(["ListBucketResult", "Contents", "Key", "Size", "IsTruncated", "Error"]),
    st.sampled_from(["Code", "KeyCount", "Owner", "ID", "x:y", "xsi:type", "a-b", "_"]),
    st.text(min_size=1, max_size=6),  # mostly not a valid name
)
texts = st.one_of(
    st.sampled_from(["", "42", "-1", "1e999", "٣", "true", "FALSE", "&amp;", "&lol;", "&#0;"]),
    st.sampled_from(["]]>", "<![CDATA[x]]>", "&#x1F600;", "&#xD800;", "<!-- c -->", "<?pi?>"]),
    st.text(max_size=10),
)
prologs = st.sampled_from(
    [
        "",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.1"?>',
        '<?xml version="1.0" encoding="latin-1"?>',
        '<?xml version="1.0" encoding="UTF-16"?>',
        '<?xml version="1.0" encoding="utf-32"?>',
        '<?xml version="1.0" encoding="rot13"?>',
        '<?xml version="1.0" encoding="idna"?>',
        '<?xml version="1.0" encoding="no-such"?>',
        '<!DOCTYPE a [<!ENTITY lol "lol">]>',
        '<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd">',
        '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
        '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>',
        "\ufeff",
    ]
)


def element(name: str, attributes: dict[str, str], children: list[str]) -> str:
    attrs = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<{name}{attrs}>{''.join(children)}</{name}>"


elements = st.recursive(
    texts,
    lambda inner: st.builds(
        element, names, st.dictionaries(names, texts, max_size=2), st.lists(inner, max_size=4)
    ),
    max_leaves=20,
)
documents = st.builds(
    lambda prolog, root: (prolog + root).encode("utf-8", "surrogatepass"), prologs, elements
)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    survives(lambda: parse(data, SCHEMAS))


@FUZZ
@given(data=documents)
def test_random_documents(data: bytes) -> None:
    survives(lambda: parse(data, SCHEMAS))
    survives(lambda: parse(data, {}))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real listing, cut short, with bytes inserted, or with bytes flipped."""
    data = bytearray(LISTING)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "insert", "flip"]))
        if how == "cut":
            del data[at:]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif at < len(data):
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


@FUZZ
@given(data=mutated())
def test_mutated_answers(data: bytes) -> None:
    survives(lambda: parse(data, SCHEMAS))


@FUZZ
@given(depth=st.integers(1, 5000), name=st.sampled_from(["a", "Contents", "Owner"]))
def test_deep_nesting(depth: int, name: str) -> None:
    data = f"<ListBucketResult>{f'<{name}>' * depth}{f'</{name}>' * depth}</ListBucketResult>"
    survives(lambda: parse(data.encode(), SCHEMAS))


# --- whole calls -----------------------------------------------------------------------------

statuses = st.sampled_from([200, 204, 206, 301, 307, 400, 403, 404, 409, 500, 503])
bodies = st.one_of(documents, mutated(), st.binary(max_size=100))
answer_headers = st.dictionaries(
    st.sampled_from(
        [
            *("ETag", "Content-Length", "x-amz-checksum-crc32", "x-amz-checksum-sha256"),
            *("Retry-After", "x-amz-bucket-region", "x-amz-checksum-type", "Content-Range"),
        ]
    ),
    st.one_of(st.text(max_size=40), st.sampled_from(['"0123456789abcdef0123456789abcdef"'])),
    max_size=4,
)


@FUZZ
@given(status=statuses, headers=answer_headers, body=bodies)
def test_client_calls_with_random_answers(
    status: int, headers: dict[str, str], body: bytes
) -> None:
    recorder = Recorder(status, body, **headers)
    client = client_with(recorder, max_attempts=2, retry_base_delay=0, retry_max_delay=0)
    survives(lambda: client.list_objects_v2(bucket="bkt"))
    survives(lambda: client.get_object(bucket="bkt", key="k"))
    survives(lambda: client.head_object(bucket="bkt", key="k"))
    survives(lambda: client.delete_objects(bucket="bkt", objects=[{"key": "k"}]))
    survives(lambda: client.request("GET", "/bkt?acl"))
    survives(lambda: next(client.paginate("list_objects_v2", bucket="bkt")))


def message(headers: bytes, payload: bytes) -> bytes:
    """An event stream message with valid CRCs around whatever headers and payload."""
    total = 16 + len(headers) + len(payload)
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", zlib.crc32(body))


@FUZZ
@given(raw=st.binary(max_size=60), headers=st.binary(max_size=30), payload=bodies)
def test_random_event_streams(raw: bytes, headers: bytes, payload: bytes) -> None:
    select = OPERATIONS["select_object_content"]
    for content in (raw, message(headers, payload)):
        survives(lambda c=content: to_response(select, 200, CaseInsensitiveDict(), c, {}))
