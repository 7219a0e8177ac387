"""The handwritten commands; the catalog's commands are generated (s3wire._generated).

To add one: write a module here defining
`COMMAND = Handwritten(...)` (see s3wire.cli.command), and list it in HANDWRITTEN below.
"""

from __future__ import annotations

from ..command import Handwritten
from . import (
    cat,
    completion,
    cp,
    download_file,
    get_data_structure,
    ls,
    mb,
    mv,
    presign,
    presigned_url,
    rb,
    request,
    rm,
    sync,
    upload_file,
)

HANDWRITTEN: tuple[Handwritten, ...] = (
    get_data_structure.COMMAND,
    request.COMMAND,
    presigned_url.COMMAND,
    presign.COMMAND,
    upload_file.COMMAND,
    download_file.COMMAND,
    ls.COMMAND,
    cp.COMMAND,
    cat.COMMAND,
    mv.COMMAND,
    sync.COMMAND,
    rm.COMMAND,
    mb.COMMAND,
    rb.COMMAND,
    completion.COMMAND,
)
