"""Each source of the credential chain against a stand-in on 127.0.0.1: instance metadata,
container endpoint, SSO portal (tests/stubs/awsstubs.py), STS from moto's server; and the
order in which the chain tries them."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from awsstubs import Container, HttpStub, Imds, SsoOidc, SsoPortal, iso_in

import s3wire
from s3wire.credentials import credential_provider, resolve
from s3wire.testing import Answer, MockTransport

ROLE = "arn:aws:iam::123456789012:role/reader"


@pytest.fixture(scope="module")
def sts() -> Iterator[str]:
    """moto's server (which answers STS), its URL."""
    server, process = servers.start_moto()
    try:
        yield server.url
    finally:
        servers.stop_process(process)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment with a HOME of its own, an empty ~/.aws and instance metadata off."""
    (tmp_path / ".aws").mkdir()
    return {"HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true"}


def config(env: dict[str, str], text: str, name: str = "config") -> None:
    (Path(env["HOME"]) / ".aws" / name).write_text(text, encoding="utf-8")


def signed_key(provider: s3wire.credentials.CredentialProvider) -> str:
    """The access key a client with this provider signs a request with."""
    transport = MockTransport(Answer(200))
    client = s3wire.Client(
        url="http://127.0.0.1:9", region="us-east-1", transport=transport, credentials=provider
    )
    client.head_bucket(bucket="b")
    return transport.last.headers["Authorization"].split("Credential=")[1].split("/")[0]


# --- EC2 instance metadata --------------------------------------------------------------------


def test_imdsv2_token_then_role_then_keys(env: dict[str, str]) -> None:
    imds = Imds()
    with HttpStub(imds) as stub:
        env |= {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.url}
        provider = credential_provider(environ=env)
        keys = provider.get()
    assert (keys.access_key, keys.session_token) == ("ASIAIMDS1", "imds-session")
    assert [(r.method, r.path) for r in stub.seen] == [
        ("PUT", "/latest/api/token"),
        ("GET", "/latest/meta-data/iam/security-credentials/"),
        ("GET", "/latest/meta-data/iam/security-credentials/web-role"),
    ]
    assert all(r.headers["x-aws-ec2-metadata-token"] == "imds-token-0" for r in stub.seen[1:])
    assert keys.expires_at is not None


@pytest.mark.parametrize("status", [403, 404, 405])
def test_imdsv1_fallback_when_the_token_is_refused(env: dict[str, str], status: int) -> None:
    with HttpStub(Imds(token_status=status)) as stub:
        env |= {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.url}
        assert credential_provider(environ=env).get().access_key == "ASIAIMDS1"
        assert "x-aws-ec2-metadata-token" not in stub.seen[-1].headers
        env["AWS_EC2_METADATA_V1_DISABLED"] = "true"
        with pytest.raises(s3wire.MissingSettingsError, match="no credentials"):
            credential_provider(environ=env)


def test_a_bad_token_request_is_not_retried_as_imdsv1(env: dict[str, str]) -> None:
    with HttpStub(Imds(token_status=400)) as stub:
        env |= {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.url}
        with pytest.raises(s3wire.MissingSettingsError):
            credential_provider(environ=env)
    assert [r.method for r in stub.seen] == ["PUT"]


def test_instance_metadata_can_be_turned_off(env: dict[str, str]) -> None:
    with HttpStub(Imds()) as stub:
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = stub.url
        with pytest.raises(s3wire.MissingSettingsError):
            credential_provider(environ=env)
    assert stub.seen == []


def test_instance_metadata_tries_as_configured(env: dict[str, str]) -> None:
    failures = []

    def flaky(request: object) -> tuple[int, bytes]:
        failures.append(request)
        return 500, b""

    with HttpStub(flaky) as stub:
        env |= {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.url}
        config(
            env, "[default]\nmetadata_service_num_attempts = 2\nmetadata_service_timeout = 0.5\n"
        )
        with pytest.raises(s3wire.MissingSettingsError):
            credential_provider(environ=env)
    # the token twice (then IMDSv1), the role listing twice
    assert [r.method for r in stub.seen] == ["PUT", "PUT", "GET", "GET"]


# --- container credentials -------------------------------------------------------------------


def test_container_full_uri_with_a_token_file_over_the_token(
    env: dict[str, str], tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("file-token\n", encoding="utf-8")
    with HttpStub(Container(token="file-token")) as stub:
        env |= {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/v2/credentials/task",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token_file),
        }
        assert signed_key(credential_provider(environ=env)) == "ASIACONTAINER"
        del env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
        with pytest.raises(s3wire.CredentialsError, match=r"container credentials: .* 403"):
            credential_provider(environ=env).get()
    assert stub.seen[0].headers["authorization"] == "file-token"


def test_container_token_from_the_variable(env: dict[str, str]) -> None:
    with HttpStub(Container(token="variable-token")) as stub:
        env |= {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/v2/credentials/task",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
        }
        assert credential_provider(environ=env).get().secret_key == "container-secret"


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("http://127.0.0.1:8080/creds", True),
        ("http://127.9.9.9/creds", True),
        ("http://[::1]/creds", True),
        ("http://localhost/creds", True),
        ("http://169.254.170.23/v1/credentials", True),
        ("https://creds.example.com/x", True),
        ("http://creds.example.com/x", False),
        ("http://10.0.0.1/x", False),
        ("ftp://127.0.0.1/x", False),
    ],
)
def test_container_full_uri_hosts(env: dict[str, str], uri: str, allowed: bool) -> None:
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = uri
    if allowed:
        credential_provider(environ=env)  # built; nothing fetched yet
    else:
        with pytest.raises(s3wire.ParamError, match="AWS_CONTAINER_CREDENTIALS_FULL_URI"):
            credential_provider(environ=env)


def test_container_relative_uri_goes_to_the_ecs_address(env: dict[str, str]) -> None:
    from s3wire._auth.container import ContainerCredentials

    env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc"
    assert ContainerCredentials(env).url == "http://169.254.170.2/v2/credentials/abc"


# --- SSO ---------------------------------------------------------------------------------------


def login(env: dict[str, str], key: str, token: str, expires_in: float = 3600) -> Path:
    folder = Path(env["HOME"]) / ".aws" / "sso" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha1(key.encode()).hexdigest() + ".json")
    path.write_text(json.dumps({"accessToken": token, "expiresAt": iso_in(expires_in)}))
    return path


def test_sso_session_profile(env: dict[str, str]) -> None:
    login(env, "my-sso", "login-token")
    config(
        env,
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\n"
        "sso_role_name = Reader\nregion = eu-west-1\n"
        "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = eu-west-1\n",
    )
    with HttpStub(SsoPortal("login-token")) as stub:
        env["AWS_ENDPOINT_URL_SSO"] = stub.url
        keys = credential_provider("dev", environ=env).get()
    assert (keys.access_key, keys.secret_key, keys.session_token) == (
        "ASIASSO",
        "sso-secret",
        "sso-session",
    )
    assert keys.expires_at is not None


def test_legacy_sso_profile_keyed_by_its_start_url(env: dict[str, str]) -> None:
    start = "https://legacy.awsapps.com/start"
    login(env, start, "legacy-token")
    config(
        env,
        f"[default]\nsso_start_url = {start}\nsso_region = us-east-1\n"
        "sso_account_id = 123456789012\nsso_role_name = Reader\n",
    )
    with HttpStub(SsoPortal("legacy-token")) as stub:
        env["AWS_ENDPOINT_URL_SSO"] = stub.url
        assert credential_provider(environ=env).get().access_key == "ASIASSO"


def test_sso_without_a_valid_login(env: dict[str, str]) -> None:
    config(
        env,
        "[default]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = Reader\n"
        "[sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
    )
    with HttpStub(SsoPortal("good")) as stub:
        env["AWS_ENDPOINT_URL_SSO"] = stub.url
        with pytest.raises(s3wire.CredentialsError, match=r"no login in .*: run aws sso login"):
            credential_provider(environ=env).get()
        login(env, "s", "stale", expires_in=-60)
        with pytest.raises(s3wire.CredentialsError, match="expired: run aws sso login"):
            credential_provider(environ=env).get()
        login(env, "s", "not-the-one")
        with pytest.raises(s3wire.CredentialsError, match="refused the login token") as caught:
            credential_provider(environ=env).get()
    assert "not-the-one" not in str(caught.value)


SESSION_PROFILE = (
    "[default]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = Reader\n"
    "[sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
)


def renewable_login(env: dict[str, str], token: str, expires_in: float, **extra: str) -> Path:
    """A cached sso_session login with the registered client and refresh token aws sso login
    keeps beside the token."""
    path = login(env, "s", token, expires_in)
    cached = json.loads(path.read_text())
    cached |= {
        "clientId": "client-id",
        "clientSecret": "client-secret-value",
        "refreshToken": "refresh-token-value",
        "registrationExpiresAt": iso_in(86400),
        "region": "us-east-1",
        "startUrl": "https://x.awsapps.com/start",
    }
    path.write_text(json.dumps(cached | extra))
    return path


def oidc(status: int = 200) -> SsoOidc:
    return SsoOidc("client-id", "client-secret-value", "refresh-token-value", "renewed", status)


def test_an_sso_login_near_its_end_is_renewed_and_written_back(env: dict[str, str]) -> None:
    path = renewable_login(env, "old-token", expires_in=5 * 60)
    config(env, SESSION_PROFILE)
    with HttpStub(SsoPortal("renewed")) as portal, HttpStub(oidc()) as tokens:
        env |= {"AWS_ENDPOINT_URL_SSO": portal.url, "AWS_ENDPOINT_URL_SSO_OIDC": tokens.url}
        assert credential_provider(environ=env).get().access_key == "ASIASSO"
    assert len(tokens.seen) == 1 and tokens.seen[0].headers["content-type"] == "application/json"
    cached = json.loads(path.read_text())
    assert cached["accessToken"] == "renewed"
    assert cached["refreshToken"] == "refresh-token-value-next"
    assert cached["clientSecret"] == "client-secret-value" and cached["startUrl"]
    remaining = s3wire._auth.expiry.parse_timestamp(cached["expiresAt"], "t") - time.time()
    assert 3500 < remaining <= 3600
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_login_far_from_its_end_or_legacy_is_used_as_it_is(env: dict[str, str]) -> None:
    renewable_login(env, "old-token", expires_in=3600)
    config(env, SESSION_PROFILE)
    with HttpStub(SsoPortal("old-token")) as portal, HttpStub(oidc()) as tokens:
        env |= {"AWS_ENDPOINT_URL_SSO": portal.url, "AWS_ENDPOINT_URL_SSO_OIDC": tokens.url}
        assert credential_provider(environ=env).get().access_key == "ASIASSO"
        # Near its end but the client's registration has ended: nothing to renew with.
        renewable_login(env, "old-token", 60, registrationExpiresAt=iso_in(-1))
        assert credential_provider(environ=env).get().access_key == "ASIASSO"
    assert tokens.seen == []


@pytest.mark.parametrize("status", [400, 500])
def test_a_failed_renewal_keeps_the_token_while_it_lasts_then_says_log_in(
    env: dict[str, str], status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # urllib3's and s3wire's debug lines too
    path = renewable_login(env, "old-token", expires_in=60)
    config(env, SESSION_PROFILE)
    with HttpStub(SsoPortal("old-token")) as portal, HttpStub(oidc(status)) as tokens:
        env |= {"AWS_ENDPOINT_URL_SSO": portal.url, "AWS_ENDPOINT_URL_SSO_OIDC": tokens.url}
        assert credential_provider(environ=env).get().access_key == "ASIASSO"
        renewable_login(env, "old-token", expires_in=-1)
        with pytest.raises(s3wire.CredentialsError, match="could not be renewed: run aws sso"):
            credential_provider(environ=env).get()
    assert len(tokens.seen) == 2
    assert json.loads(path.read_text())["accessToken"] == "old-token"
    for secret in ("client-secret-value", "refresh-token-value", "old-token"):
        assert secret not in caplog.text


def test_a_renewed_token_is_used_even_when_the_cache_cannot_be_written(
    env: dict[str, str], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(**_: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    path = renewable_login(env, "old-token", expires_in=60)
    config(env, SESSION_PROFILE)
    monkeypatch.setattr("tempfile.mkstemp", full_disk)
    with HttpStub(SsoPortal("renewed")) as portal, HttpStub(oidc()) as tokens:
        env |= {"AWS_ENDPOINT_URL_SSO": portal.url, "AWS_ENDPOINT_URL_SSO_OIDC": tokens.url}
        assert credential_provider(environ=env).get().access_key == "ASIASSO"
    assert json.loads(path.read_text())["accessToken"] == "old-token"
    assert "cannot write the renewed login" in caplog.text and "No space left" in caplog.text
    for secret in ('renewed"', "client-secret-value", "refresh-token-value"):
        assert secret not in caplog.text


def test_sso_profile_missing_settings(env: dict[str, str]) -> None:
    config(env, "[default]\nsso_start_url = https://x.awsapps.com/start\nsso_region = r\n")
    with pytest.raises(s3wire.ParamError, match="lacks sso_account_id, sso_role_name"):
        credential_provider(environ=env)
    config(env, "[default]\nsso_session = gone\n")
    with pytest.raises(s3wire.ParamError, match=r"no \[sso-session gone\] section"):
        credential_provider(environ=env)


# --- STS: assume role and web identity (moto's server) -----------------------------------------


def test_assume_role_with_a_source_profile(env: dict[str, str], sts: str) -> None:
    config(env, "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n", "credentials")
    config(
        env,
        f"[profile app]\nrole_arn = {ROLE}\nsource_profile = base\nrole_session_name = app\n"
        "external_id = ext-1\nduration_seconds = 1800\nregion = us-east-1\n",
    )
    env["AWS_ENDPOINT_URL_STS"] = sts
    keys = credential_provider("app", environ=env).get()
    assert keys.access_key.startswith("ASIA") and keys.session_token
    assert keys.expires_at is not None


def test_chained_roles_and_a_self_sourcing_profile(env: dict[str, str], sts: str) -> None:
    config(
        env,
        "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = middle\n"
        f"[profile middle]\nrole_arn = {ROLE}\nsource_profile = middle\n"
        "aws_access_key_id = AKIDMIDDLE\naws_secret_access_key = s\n",
    )
    env["AWS_ENDPOINT_URL_STS"] = sts
    assert credential_provider("top", environ=env).get().access_key.startswith("ASIA")


def test_a_source_profile_loop_is_refused(env: dict[str, str]) -> None:
    config(
        env,
        f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n"
        f"[profile b]\nrole_arn = {ROLE}\nsource_profile = c\n"
        f"[profile c]\nrole_arn = {ROLE}\nsource_profile = a\n",
    )
    with pytest.raises(s3wire.ParamError, match="source_profile chain loops: a -> b -> c -> a"):
        credential_provider("a", environ=env)
    config(env, f"[profile a]\nrole_arn = {ROLE}\nsource_profile = a\n")
    with pytest.raises(s3wire.ParamError, match="loops: a -> a"):
        credential_provider("a", environ=env)


def test_credential_source_environment(env: dict[str, str], sts: str) -> None:
    config(env, f"[profile app]\nrole_arn = {ROLE}\ncredential_source = Environment\n")
    env["AWS_ENDPOINT_URL_STS"] = sts
    with pytest.raises(s3wire.ParamError, match=r"credential_source Environment .* no credentials"):
        credential_provider("app", environ=env)
    env |= {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"}
    assert credential_provider("app", environ=env).get().access_key.startswith("ASIA")


def test_credential_source_instance_metadata(env: dict[str, str]) -> None:
    """The role is assumed with the instance's keys: the STS stub sees them in the signature."""
    sts_requests = []

    def fake_sts(request: object) -> tuple[int, bytes]:
        sts_requests.append(request)
        body = (
            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE"
            "</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>t"
            f"</SessionToken><Expiration>{iso_in(3600)}</Expiration></Credentials>"
            "</AssumeRoleResult></AssumeRoleResponse>"
        )
        return 200, body.encode()

    config(env, f"[default]\nrole_arn = {ROLE}\ncredential_source = Ec2InstanceMetadata\n")
    with HttpStub(Imds()) as imds, HttpStub(fake_sts) as sts:
        env |= {
            "AWS_EC2_METADATA_DISABLED": "false",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url,
            "AWS_ENDPOINT_URL_STS": sts.url,
            "AWS_REGION": "eu-west-1",
        }
        assert credential_provider(environ=env).get().access_key == "ASIAROLE"
    request = sts.seen[0]
    assert "Credential=ASIAIMDS1/" in request.headers["authorization"]
    assert "/eu-west-1/sts/aws4_request" in request.headers["authorization"]
    assert request.headers["x-amz-security-token"] == "imds-session"
    assert b"Action=AssumeRole&" in request.body


def test_an_unknown_credential_source(env: dict[str, str]) -> None:
    config(env, f"[default]\nrole_arn = {ROLE}\ncredential_source = Somewhere\n")
    with pytest.raises(s3wire.ParamError, match="must be one of Environment, Ec2Instance"):
        credential_provider(environ=env)


def test_web_identity_from_the_environment(env: dict[str, str], sts: str, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("eyJ.web.token", encoding="utf-8")
    env |= {
        "AWS_WEB_IDENTITY_TOKEN_FILE": str(token),
        "AWS_ROLE_ARN": ROLE,
        "AWS_ROLE_SESSION_NAME": "pod",
        "AWS_ENDPOINT_URL_STS": sts,
    }
    assert credential_provider(environ=env).get().access_key.startswith("ASIA")
    del env["AWS_ROLE_ARN"]
    with pytest.raises(s3wire.ParamError, match="go together"):
        credential_provider(environ=env)


def test_web_identity_is_unsigned_and_from_a_profile(env: dict[str, str], tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("eyJ.web.token\n", encoding="utf-8")
    answer = (
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
        "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey>"
        f"<SessionToken>t</SessionToken><Expiration>{iso_in(3600)}</Expiration></Credentials>"
        "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
    ).encode()
    config(
        env,
        f"[default]\nweb_identity_token_file = {token}\nrole_arn = {ROLE}\n"
        "services = local\n[services local]\nsts =\n  endpoint_url = STUB\n",
    )
    with HttpStub(lambda request: (200, answer)) as stub:
        config_text = (Path(env["HOME"]) / ".aws" / "config").read_text()
        config(env, config_text.replace("STUB", stub.url))
        assert credential_provider(environ=env).get().access_key == "ASIAWEB"
    assert "authorization" not in stub.seen[0].headers
    assert b"WebIdentityToken=eyJ.web.token&" in stub.seen[0].body + b"&"


def test_sts_errors_name_the_source_and_code(env: dict[str, str]) -> None:
    refusal = (
        b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
        b"<Message>not authorized to assume the role</Message></Error></ErrorResponse>"
    )
    config(env, "[b]\naws_access_key_id = AKIDB\naws_secret_access_key = SECRETB\n", "credentials")
    config(env, f"[default]\nrole_arn = {ROLE}\nsource_profile = b\n")
    with HttpStub(lambda request: (403, refusal)) as stub:
        env["AWS_ENDPOINT_URL_STS"] = stub.url
        with pytest.raises(s3wire.CredentialsError) as caught:
            credential_provider(environ=env).get()
    text = str(caught.value)
    assert f"assume role '{ROLE}'" in text and "403 AccessDenied: not authorized" in text
    assert "SECRETB" not in text


def test_mfa_profiles_are_refused_clearly(env: dict[str, str]) -> None:
    config(env, "[b]\naws_access_key_id = A\naws_secret_access_key = S\n", "credentials")
    config(env, f"[default]\nrole_arn = {ROLE}\nsource_profile = b\nmfa_serial = arn:x\n")
    with pytest.raises(s3wire.ParamError, match="cannot prompt for an MFA code"):
        credential_provider(environ=env)


# --- the order ---------------------------------------------------------------------------------


def test_environment_keys_come_before_a_role_and_the_container(env: dict[str, str]) -> None:
    config(env, "[default]\nregion = us-east-1\nsso_session = x\n[sso-session x]\n")
    env |= {
        "AWS_ACCESS_KEY_ID": "AKIDENV",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/x",
        "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent",
        "AWS_ROLE_ARN": ROLE,
    }
    assert credential_provider(environ=env).get().access_key == "AKIDENV"


def test_profile_keys_come_before_the_container(env: dict[str, str]) -> None:
    config(
        env, "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n", "credentials"
    )
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/x"
    assert credential_provider(environ=env).get().access_key == "AKIDFILE"


def test_from_env_with_a_temporary_source_keeps_the_keys_out_of_the_data(
    env: dict[str, str],
) -> None:
    with HttpStub(Container()) as stub:
        env |= {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/v2/credentials/task",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        }
        data, provider = resolve(environ=env)
        assert data["access_key"] == "" and "container-secret" not in repr(data)
        assert signed_key(provider) == "ASIACONTAINER"
        snapshot = s3wire.connection_data(environ=env)
    assert snapshot["access_key"] == "ASIACONTAINER"
    assert snapshot["session_token"] == "container-session"


def test_client_from_env_uses_the_chain(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with HttpStub(Container()) as stub:
        for name, value in {
            **env,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/v2/credentials/task",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        }.items():
            monkeypatch.setenv(name, value)
        transport = MockTransport(Answer(200))
        with s3wire.Client.from_env(transport=transport) as client:
            client.head_bucket(bucket="b")
    assert "Credential=ASIACONTAINER/" in transport.last.headers["Authorization"]
    assert transport.last.headers["x-amz-security-token"] == "container-session"


def test_an_explicit_profile_turns_the_environment_sources_off(
    env: dict[str, str], tmp_path: Path
) -> None:
    """As botocore: with profile= named, AWS_ACCESS_KEY_ID and AWS_WEB_IDENTITY_TOKEN_FILE are
    not read; AWS_PROFILE naming it leaves them on."""
    config(env, "[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n", "credentials")
    env |= {
        "AWS_ACCESS_KEY_ID": "AKIDENV",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_WEB_IDENTITY_TOKEN_FILE": str(tmp_path / "token"),
        "AWS_ROLE_ARN": ROLE,
    }
    assert credential_provider("p", environ=env).get().access_key == "AKIDPROFILE"
    env["AWS_PROFILE"] = "p"
    assert credential_provider(environ=env).get().access_key == "AKIDENV"
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    with pytest.raises(s3wire.CredentialsError, match="web identity: cannot read the token"):
        credential_provider(environ=env).get()
