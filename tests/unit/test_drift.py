"""scripts/drift.py (`nox -s drift`): what the catalog lacks of botocore's S3 model, and its
exit status. Here against the pinned model, and a catalog with pieces taken out."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import test_catalog_vs_botocore as check

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "drift.py"


def drift_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("drift", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_drift_against_the_pinned_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert drift_script().main() == 0
    assert "no drift" in capsys.readouterr().out


def test_lists_a_missing_operation_a_member_and_an_enum_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    full = check.catalog()
    operations = []
    for op in full.operations:
        if op.name == "PutObjectAnnotation":
            continue  # a missing operation
        if op.name == "PutObject":  # a missing header, an enum short of a value
            params = tuple(
                dataclasses.replace(p, enum=p.enum[:-1]) if p.name == "storage_class" else p
                for p in op.params
                if p.name != "object_lock_event_hold"
            )
            op = dataclasses.replace(op, params=params)
        operations.append(op)
    lacking = check.Catalog(operations=operations, structs=full.structs)
    monkeypatch.setattr(check, "catalog", lambda: lacking)
    assert drift_script().main() == 1
    out = capsys.readouterr().out
    assert "missing operation PutObjectAnnotation: PUT /{Bucket}/{Key+}?annotation" in out
    assert "PutObject: header x-amz-object-lock-event-hold:" in out
    assert f"PutObject: enum-value x-amz-storage-class={full_storage_class_last(full)}:" in out


def full_storage_class_last(catalog: check.Catalog) -> str:
    (put_object,) = [op for op in catalog.operations if op.name == "PutObject"]
    (storage_class,) = [p for p in put_object.params if p.name == "storage_class"]
    return storage_class.enum[-1]
