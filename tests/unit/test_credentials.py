"""The standard configuration chain (s3wire.credentials, Client.from_env), walked source by source.

Every test runs with HOME set to a temporary directory and without AWS_* variables, so the
developer's own ~/.aws is never read.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from recording import Recorder

import s3wire
from s3wire.credentials import MissingSettingsError, aws_endpoint, connection_data

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CA_BUNDLE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
)


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary HOME with an empty ~/.aws, and no AWS_* variables."""
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".aws").mkdir()
    return tmp_path


def write(home: Path, name: str, text: str) -> Path:
    path = home / ".aws" / name
    path.write_text(text, encoding="utf-8")
    return path


def credential_process(tmp_path: Path, answer: Any, status: int = 0, stderr: str = "") -> str:
    """A credential_process command: a script printing `answer` as JSON, then exiting."""
    script = tmp_path / "process.py"
    script.write_text(
        "import sys\n"
        f"print({json.dumps(answer)!r})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({status})\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def in_an_hour() -> str:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    return later.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- each credential source, in the order the chain tries them --------------------------------


def test_explicit_values_come_first(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://10.0.0.1:9000")
    write(home, "credentials", "[default]\naws_access_key_id = AKIDFILE\n")
    data = connection_data(
        url="http://192.0.2.1:7480",
        access_key="AKIDARG",
        secret_key=SECRET,
        session_token="token-arg",
        region="ap-south-1",
        addressing_style="path",
    )
    assert data["url"] == "http://192.0.2.1:7480"
    assert (data["access_key"], data["secret_key"]) == ("AKIDARG", SECRET)
    assert data["session_token"] == "token-arg"
    assert (data["region"], data["addressing_style"]) == ("ap-south-1", "path")


def test_environment_variables_come_next(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        home, "credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n"
    )
    write(home, "config", "[default]\nregion = eu-central-1\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-token")
    data = connection_data()
    assert (data["access_key"], data["secret_key"]) == ("AKIDENV", SECRET)
    assert data["session_token"] == "env-token"
    assert data["region"] == "eu-central-1"  # the keys came from the environment, the region not
    assert data["url"] == "https://s3.eu-central-1.amazonaws.com"


def test_aws_profile_does_not_hide_environment_keys_but_an_explicit_profile_does(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(home, "credentials", "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = w\n")
    write(home, "config", "[profile work]\nregion = us-west-2\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_PROFILE", "work")
    assert connection_data()["access_key"] == "AKIDENV"  # as the AWS CLI and boto3 do
    assert connection_data("work")["access_key"] == "AKIDWORK"  # like `aws --profile work`


def test_default_profile_of_the_credentials_file(home: Path) -> None:
    write(
        home,
        "credentials",
        f"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {SECRET}\n"
        "aws_session_token = file-token\n",
    )
    write(home, "config", "[default]\nregion = us-east-1\n")
    data = connection_data()
    assert (data["access_key"], data["secret_key"]) == ("AKIDFILE", SECRET)
    assert data["session_token"] == "file-token"
    assert data["url"] == "https://s3.amazonaws.com"


def test_named_profile_with_region_endpoint_and_addressing_style(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        home,
        "credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
        f"[lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = {SECRET}\n",
    )
    write(
        home,
        "config",
        "[default]\nregion = us-east-1\n\n"
        "[profile lab]\nregion = eu-west-3\nendpoint_url = http://127.0.0.1:7480\n"
        "s3 =\n  addressing_style = path\n  use_accelerate_endpoint = false\n",
    )
    monkeypatch.setenv("AWS_PROFILE", "lab")
    data = connection_data()
    assert data["access_key"] == "AKIDLAB"
    assert (data["region"], data["url"]) == ("eu-west-3", "http://127.0.0.1:7480")
    assert data["addressing_style"] == "path"
    assert connection_data(addressing_style="virtual")["addressing_style"] == "virtual"


def test_credential_process(home: Path, tmp_path: Path) -> None:
    answer = {
        "Version": 1,
        "AccessKeyId": "AKIDPROC",
        "SecretAccessKey": SECRET,
        "SessionToken": "proc-token",
        "Expiration": in_an_hour(),
    }
    command = credential_process(tmp_path, answer)
    write(home, "config", f"[profile proc]\nregion = us-east-1\ncredential_process = {command}\n")
    data = connection_data("proc")
    assert (data["access_key"], data["secret_key"]) == ("AKIDPROC", SECRET)
    assert data["session_token"] == "proc-token"


def test_credential_process_without_token_or_expiration(home: Path, tmp_path: Path) -> None:
    command = credential_process(
        tmp_path, {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": SECRET}
    )
    write(home, "config", f"[default]\nregion = us-east-1\ncredential_process = {command}\n")
    data = connection_data()
    assert data["access_key"] == "AKIDPROC"
    assert data.get("session_token") is None


def test_profile_sources_in_order(home: Path, tmp_path: Path) -> None:
    """Keys in the credentials file, then credential_process, then keys in the config file."""
    command = credential_process(
        tmp_path, {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": SECRET}
    )
    config = write(
        home,
        "config",
        "[default]\nregion = us-east-1\naws_access_key_id = AKIDCONFIG\n"
        f"aws_secret_access_key = c\ncredential_process = {command}\n",
    )
    credentials = write(
        home, "credentials", "[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = s\n"
    )
    assert connection_data()["access_key"] == "AKIDCRED"
    credentials.unlink()
    assert connection_data()["access_key"] == "AKIDPROC"
    config.write_text(config.read_text().replace("credential_process", "x"), encoding="utf-8")
    assert connection_data()["access_key"] == "AKIDCONFIG"


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": SECRET}, 0, "Version 1"),
        ({"Version": 1, "AccessKeyId": "A"}, 0, "no AccessKeyId and SecretAccessKey"),
        (
            {
                "Version": 1,
                "AccessKeyId": "A",
                "SecretAccessKey": SECRET,
                "Expiration": "2001-01-01T00:00:00Z",
            },
            0,
            "expired at 2001-01-01T00:00:00Z",
        ),
        ({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": SECRET}, 3, "exited with status 3"),
        ("not an object", 0, "Version 1"),
    ],
)
def test_credential_process_failures(
    home: Path, tmp_path: Path, answer: Any, status: int, message: str
) -> None:
    command = credential_process(tmp_path, answer, status, stderr="token service down\n")
    write(home, "config", f"[default]\nregion = us-east-1\ncredential_process = {command}\n")
    with pytest.raises(s3wire.CredentialsError, match=message) as caught:
        connection_data()
    assert SECRET not in str(caught.value)
    assert "token service down" not in str(caught.value)


def test_credential_process_that_cannot_run(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-program"
    write(home, "config", f"[default]\nregion = r\ncredential_process = {missing} --x\n")
    with pytest.raises(s3wire.CredentialsError, match="could not run"):
        connection_data()


# --- region, endpoint and the files ----------------------------------------------------------


def test_region_sources_in_order(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(home, "config", "[default]\nregion = from-profile\n")
    keys = {"access_key": "A", "secret_key": SECRET}
    assert connection_data(**keys)["region"] == "from-profile"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "from-default-region")
    assert connection_data(**keys)["region"] == "from-default-region"
    monkeypatch.setenv("AWS_REGION", "from-region")
    assert connection_data(**keys)["region"] == "from-region"
    assert connection_data(**keys, region="explicit")["region"] == "explicit"


def test_endpoint_sources_in_order(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        home,
        "config",
        "[default]\nregion = eu-west-1\nendpoint_url = http://profile:1\nservices = local\n\n"
        "[services local]\ns3 =\n  endpoint_url = http://services:2\n",
    )
    keys = {"access_key": "A", "secret_key": SECRET}
    assert connection_data(**keys)["url"] == "http://services:2"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://all-services:3")
    assert connection_data(**keys)["url"] == "http://all-services:3"
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://s3-only:4")
    assert connection_data(**keys)["url"] == "http://s3-only:4"
    assert connection_data(**keys, url="http://explicit:5")["url"] == "http://explicit:5"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert connection_data(**keys)["url"] == "https://s3.eu-west-1.amazonaws.com"


def test_profile_endpoint_url(home: Path) -> None:
    write(home, "config", "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n")
    assert connection_data(access_key="A", secret_key=SECRET)["url"] == "http://profile:1"


@pytest.mark.parametrize(
    ("region", "url"),
    [
        ("us-east-1", "https://s3.amazonaws.com"),
        ("eu-west-1", "https://s3.eu-west-1.amazonaws.com"),
        ("cn-north-1", "https://s3.cn-north-1.amazonaws.com.cn"),
        ("us-iso-east-1", "https://s3.us-iso-east-1.c2s.ic.gov"),
        ("us-isob-east-1", "https://s3.us-isob-east-1.sc2s.sgov.gov"),
        ("us-gov-west-1", "https://s3.us-gov-west-1.amazonaws.com"),
    ],
)
def test_default_aws_endpoints(region: str, url: str) -> None:
    assert aws_endpoint(region) == url
    assert connection_data(access_key="A", secret_key=SECRET, region=region)["url"] == url


def test_files_named_by_the_environment(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        home, "credentials", "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "creds").write_text(
        "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = e\n", "utf-8"
    )
    (elsewhere / "conf").write_text("[default]\nregion = sa-east-1\n", "utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(elsewhere / "creds"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(elsewhere / "conf"))
    data = connection_data()
    assert (data["access_key"], data["region"]) == ("AKIDELSEWHERE", "sa-east-1")


def test_ca_bundle(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(home, "config", "[default]\nca_bundle = /etc/ssl/profile.pem\n")
    keys = {"access_key": "A", "secret_key": SECRET, "region": "r"}
    assert connection_data(**keys)["verify"] == "/etc/ssl/profile.pem"
    monkeypatch.setenv("AWS_CA_BUNDLE", "/etc/ssl/env.pem")
    assert connection_data(**keys)["verify"] == "/etc/ssl/env.pem"
    assert connection_data(**keys, verify=False)["verify"] is False


# --- what is missing or wrong ----------------------------------------------------------------


def test_nothing_configured_names_every_missing_setting(home: Path) -> None:
    with pytest.raises(MissingSettingsError) as caught:
        connection_data()
    error = caught.value
    assert error.missing == ("url", "credentials", "region")
    message = str(error)
    assert message.startswith("no endpoint, credentials, region found")
    assert "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in message
    assert "AWS_REGION (or AWS_DEFAULT_REGION)" in message
    assert f"profile 'default' of {home / '.aws' / 'credentials'}" in message
    assert isinstance(error, s3wire.ParamError)


def test_missing_region_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with pytest.raises(MissingSettingsError) as caught:
        connection_data(url="http://127.0.0.1:7480")
    assert caught.value.missing == ("region",)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"AWS_ACCESS_KEY_ID": "A"}, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together"),
        ({"AWS_SECRET_ACCESS_KEY": SECRET}, "go together"),
    ],
)
def test_half_a_key_pair_is_refused(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(s3wire.ParamError, match=message) as caught:
        connection_data(region="r")
    assert SECRET not in str(caught.value)
    with pytest.raises(s3wire.ParamError, match="access_key and secret_key go together"):
        connection_data(access_key="A", region="r")


def test_unknown_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(home, "config", "[profile other]\nregion = r\n")
    with pytest.raises(s3wire.ParamError, match="AWS profile 'nope' is in neither"):
        connection_data("nope")
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with pytest.raises(s3wire.ParamError, match="AWS profile 'nope'"):
        connection_data()


def test_unreadable_config_file(home: Path) -> None:
    write(home, "config", "region = no section header\n")
    with pytest.raises(s3wire.ParamError, match="cannot read"):
        connection_data(access_key="A", secret_key=SECRET, region="r")


def test_percent_signs_are_literal(home: Path) -> None:
    write(home, "credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = a%b\n")
    assert connection_data(region="r")["secret_key"] == "a%b"


# --- Client.from_env -------------------------------------------------------------------------


def test_client_from_env_signs_with_the_profile(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    command = credential_process(
        tmp_path,
        {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": SECRET, "SessionToken": "t0k"},
    )
    write(
        home,
        "config",
        f"[profile p]\nregion = eu-west-1\ncredential_process = {command}\n"
        "endpoint_url = http://127.0.0.1:7480\n",
    )
    with s3wire.Client.from_env(
        profile="p", part_size=8 * 1024 * 1024, transport=recorder
    ) as client:
        assert client.data["part_size"] == 8 * 1024 * 1024
        assert SECRET not in repr(client) and SECRET not in repr(client.data)
        client.head_bucket(bucket="b")
    _, url, headers, _ = recorder.sent[-1]
    assert url == "http://127.0.0.1:7480/b"
    assert "Credential=AKIDPROC/" in headers["Authorization"]
    assert "/eu-west-1/s3/aws4_request" in headers["Authorization"]
    assert headers["x-amz-security-token"] == "t0k"
    assert "x-amz-security-token" in headers["Authorization"]  # signed


def test_client_from_env_explains_what_is_missing() -> None:
    with pytest.raises(MissingSettingsError, match="no endpoint, credentials, region found"):
        s3wire.Client.from_env()


def test_a_session_token_alone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with pytest.raises(s3wire.ParamError, match="session_token goes with access_key"):
        connection_data(session_token="t", region="r")


def test_profile_default_section_spelt_as_a_named_profile(home: Path) -> None:
    write(home, "config", "[profile default]\nregion = eu-north-1\n")
    assert connection_data(access_key="A", secret_key=SECRET)["region"] == "eu-north-1"


@pytest.mark.parametrize(
    ("variables", "config", "region", "url"),
    [
        (
            {"AWS_USE_FIPS_ENDPOINT": "true"},
            "",
            "us-west-2",
            "https://s3-fips.us-west-2.amazonaws.com",
        ),
        ({}, "use_fips_endpoint = true\n", "us-west-2", "https://s3-fips.us-west-2.amazonaws.com"),
        (
            {"AWS_USE_FIPS_ENDPOINT": "false"},  # the variable over the profile
            "use_fips_endpoint = true\n",
            "us-west-2",
            "https://s3.us-west-2.amazonaws.com",
        ),
        (
            {"AWS_USE_DUALSTACK_ENDPOINT": "true"},
            "",
            "eu-west-1",
            "https://s3.dualstack.eu-west-1.amazonaws.com",
        ),
        (
            {},
            "s3 =\n  use_dualstack_endpoint = true\n",
            "eu-west-1",
            "https://s3.dualstack.eu-west-1.amazonaws.com",
        ),
        (
            {},
            "s3 =\n  use_accelerate_endpoint = true\n",
            "eu-west-1",
            "https://s3-accelerate.amazonaws.com",
        ),
        (
            {"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "regional"},
            "",
            "us-east-1",
            "https://s3.us-east-1.amazonaws.com",
        ),
        (
            {},
            "s3 =\n  us_east_1_regional_endpoint = regional\n",
            "us-east-1",
            "https://s3.us-east-1.amazonaws.com",
        ),
        (
            {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
            "",
            "us-east-1",
            "https://s3-fips.dualstack.us-east-1.amazonaws.com",
        ),
    ],
)
def test_endpoint_settings_read_the_aws_way(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    config: str,
    region: str,
    url: str,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write(home, "config", f"[default]\nregion = {region}\n{config}")
    data = connection_data(access_key="A", secret_key=SECRET)
    assert data["url"] == url


@pytest.mark.parametrize(
    ("variables", "config", "refused"),
    [
        (
            {"AWS_USE_FIPS_ENDPOINT": "true"},
            "s3 =\n  use_accelerate_endpoint = true\n",
            "use_accelerate cannot be combined with use_fips",
        ),
        ({"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "nearby"}, "", "legacy or regional"),
    ],
)
def test_endpoint_settings_that_the_rules_refuse(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    config: str,
    refused: str,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write(home, "config", f"[default]\nregion = us-east-1\n{config}")
    with pytest.raises(s3wire.ParamError, match=refused):
        connection_data(access_key="A", secret_key=SECRET)


@pytest.mark.parametrize(
    ("url", "bucket", "host"),
    [
        ("https://s3.cn-north-1.amazonaws.com.cn", "bkt", "bkt.s3.cn-north-1.amazonaws.com.cn"),
        ("https://s3.us-iso-east-1.c2s.ic.gov", "bkt", "bkt.s3.us-iso-east-1.c2s.ic.gov"),
        ("https://s3-accelerate.amazonaws.com", "bkt", "bkt.s3-accelerate.amazonaws.com"),
        ("https://s3-fips.us-west-2.amazonaws.com", "bkt", "bkt.s3-fips.us-west-2.amazonaws.com"),
        ("https://s3.cn-north-1.amazonaws.com.cn", "dotted.name", "s3.cn-north-1.amazonaws.com.cn"),
    ],
)
def test_every_partition_is_virtual_hosted(url: str, bucket: str, host: str) -> None:
    transport = Recorder()
    data = s3wire.get_data_structure(url, "AKIDEXAMPLE", SECRET, "us-east-1")
    with s3wire.Client(data, transport=transport) as client:
        client.list_objects_v2(bucket=bucket)
    assert transport.sent[-1][1].split("/")[2] == host
