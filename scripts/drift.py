"""How far the catalog is behind the installed botocore's S3 model (`nox -s drift` installs the
newest botocore first): the operations it lacks, with their wire form, and every member, enum
value or other difference the cross-check (tests/unit/test_catalog_vs_botocore.py) does not allow.
Exit status 0 when the catalog has it all, 1 otherwise. Not part of CI: the pinned model is."""

from __future__ import annotations

import sys
from pathlib import Path

import botocore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))

import test_catalog_vs_botocore as check


def main() -> int:
    """Print the drift; 1 if there is any."""
    missing = check.missing_operations()
    differences = [m for m in check.compare_all() if not check.is_allowed(m)]
    print(f"botocore {botocore.__version__}: {check.coverage_line()}")
    for name in missing:
        print(f"\nmissing operation {check.describe_operation(name)}")
    if differences:
        print(f"\n{len(differences)} differences in operations the catalog has:")
    for mismatch in differences:
        print(f"  {mismatch.key}: {mismatch.detail}")
    if not missing and not differences:
        print("no drift: every operation, member and enum value is in the catalog")
    return 1 if missing or differences else 0


if __name__ == "__main__":
    sys.exit(main())
