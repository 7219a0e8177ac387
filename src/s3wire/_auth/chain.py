"""The credential chain in botocore's order: the first source configured gives the provider
(each source's module is imported when the chain comes to it: keys in the environment load none).

explicit keys; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not with an explicitly named profile);
the profile's role_arn with source_profile or credential_source (STS AssumeRole, chained);
web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's
web_identity_token_file + role_arn); SSO; the profile's keys in the credentials file; its
credential_process; its keys in the config file; container credentials; instance metadata.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._log import CREDENTIALS, debug
from ..credentials_api import CredentialProvider, Credentials, StaticCredentials
from ..errors import CredentialsError, ParamError
from .endpoints import service_endpoint, sts_default
from .files import Profile, load_profile
from .refreshing import RefreshingProvider
from .web_identity import from_environment

KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")


class Chain:
    """What every source may need: the environment, the region STS is called in, and
    whether the profile was named explicitly (which turns the AWS_* key variables off)."""

    __slots__ = ("environ", "explicit_profile", "region")

    def __init__(
        self, environ: Mapping[str, str], region: str | None, explicit_profile: bool
    ) -> None:
        self.environ, self.region, self.explicit_profile = environ, region, explicit_profile

    def find(
        self,
        profile: Profile,
        keys: tuple[str | None, str | None, str | None] = (None, None, None),
    ) -> CredentialProvider | None:
        """The first source's provider, None when there is none: when no other source is
        configured, instance metadata is asked for credentials now (unless it is off)."""
        provider = self.configured(profile, keys)
        if provider is None:
            provider = self.instance_metadata(profile)
            if provider is not None and not _answers(provider):
                return None
        return provider

    def configured(
        self,
        profile: Profile,
        keys: tuple[str | None, str | None, str | None] = (None, None, None),
    ) -> CredentialProvider | None:
        """The first configured source's provider; None when only instance metadata is left."""
        if any(keys[:2]):
            check_pair(keys[:2], "access_key and secret_key")
            return StaticCredentials(Credentials(str(keys[0]), str(keys[1]), keys[2] or None))
        if keys[2]:
            raise ParamError("session_token goes with access_key and secret_key: pass all three")
        if not self.explicit_profile:
            found = self._environment()
            if found is not None:
                return found
        if _assumes_role(profile):
            return self._assume_role(profile, [profile.name])
        web = None if self.explicit_profile else from_environment(self.environ)
        if web is not None:
            debug(
                "credentials from web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
                logger=CREDENTIALS,
            )
            return self._web_identity(*web, profile=profile)
        return self.from_profile(profile) or self._container()

    def from_profile(self, profile: Profile) -> CredentialProvider | None:
        """The sources a profile itself holds, after assume role: web identity, SSO, keys in
        the credentials file, credential_process, keys in the config file."""
        token_file = profile.get("web_identity_token_file")
        if token_file and profile.get("role_arn"):
            return self._web_identity(
                token_file,
                str(profile.get("role_arn")),
                profile.get("role_session_name"),
                profile=profile,
            )
        from . import sso  # each source's module is imported when it is consulted

        if sso.configured(profile):
            debug("credentials from SSO for %s", profile.where, logger=CREDENTIALS)
            return RefreshingProvider(sso.SingleSignOn(profile, self.environ), sso.SOURCE)
        if profile.credentials.get("aws_access_key_id"):
            return static(profile, profile.credentials)
        command = profile.get("credential_process")
        if command:
            debug(
                "credentials from the credential_process of %s",
                profile.where,
                logger=CREDENTIALS,
            )
            from .process import CredentialProcess

            process = CredentialProcess(command, self.environ)
            return RefreshingProvider(process, process.source)
        if profile.config.get("aws_access_key_id"):
            return static(profile, profile.config)
        return None

    def instance_metadata(self, profile: Profile) -> CredentialProvider | None:
        """The instance role's provider, None when AWS_EC2_METADATA_DISABLED says so."""
        from . import imds

        if imds.disabled(self.environ):
            return None
        return RefreshingProvider(imds.InstanceMetadata(self.environ, profile), imds.SOURCE)

    def _environment(self) -> CredentialProvider | None:
        keys = tuple(self.environ.get(name) or None for name in KEY_VARIABLES)
        if not any(keys):
            return None
        check_pair(keys, " and ".join(KEY_VARIABLES))
        debug("credentials from the environment", logger=CREDENTIALS)
        token = self.environ.get("AWS_SESSION_TOKEN") or None
        return StaticCredentials(Credentials(str(keys[0]), str(keys[1]), token))

    def _container(self) -> CredentialProvider | None:
        from . import container

        if not container.configured(self.environ):
            return None
        debug("credentials from the container endpoint", logger=CREDENTIALS)
        return RefreshingProvider(container.ContainerCredentials(self.environ), container.SOURCE)

    def _web_identity(
        self, token_file: str, role_arn: str, name: str | None, *, profile: Profile
    ) -> CredentialProvider:
        from .web_identity import WebIdentity

        fetch = WebIdentity(
            token_file, role_arn, name, endpoint=self._sts(profile), region=self._sts_region()
        )
        return RefreshingProvider(fetch, f"web identity {role_arn!r}")

    def _assume_role(self, profile: Profile, visited: list[str]) -> CredentialProvider:
        """AssumeRole with the source's credentials; `visited` are the profiles on the way."""
        source_profile = profile.get("source_profile")
        credential_source = profile.get("credential_source")
        if source_profile and credential_source:
            raise ParamError(
                f"{profile.where} sets both source_profile and credential_source: keep one"
            )
        if credential_source:
            source = self._credential_source(credential_source, profile)
        else:
            source = self._source_profile(profile, str(source_profile), visited)
        from .assume_role import AssumeRole

        fetch = AssumeRole(profile, source, endpoint=self._sts(profile), region=self._sts_region())
        return RefreshingProvider(fetch, fetch.source_name)

    def _source_profile(self, parent: Profile, name: str, visited: list[str]) -> CredentialProvider:
        """A source_profile's credentials: its keys if it has any (a profile may name itself
        to use its own keys), else its own assume role (chained), else its other sources."""
        source = parent if name == parent.name else load_profile(name, self.environ)
        has_keys = bool(source.get("aws_access_key_id"))
        if name in visited and not (name == parent.name and has_keys):
            chain = " -> ".join([*visited, name])
            raise ParamError(f"the source_profile chain loops: {chain}")
        if has_keys:
            section = (
                source.credentials if source.credentials.get("aws_access_key_id") else source.config
            )
            return static(source, section)
        if _assumes_role(source):
            return self._assume_role(source, [*visited, name])
        found = self.from_profile(source)
        if found is None:
            raise ParamError(f"source_profile {name!r} has no credentials ({source.where})")
        return found

    def _credential_source(self, name: str, profile: Profile) -> CredentialProvider:
        found: CredentialProvider | None
        if name == "Environment":
            found = self._environment()
        elif name == "Ec2InstanceMetadata":
            found = self.instance_metadata(profile)
        elif name == "EcsContainer":
            found = self._container()
        else:
            raise ParamError(
                f"credential_source of {profile.where} must be one of "
                f"{', '.join(CREDENTIAL_SOURCES)}; got {name[:40]!r}"
            )
        if found is None:
            raise ParamError(f"credential_source {name} of {profile.where} has no credentials")
        return found

    def _sts(self, profile: Profile) -> str:
        default = sts_default(self.region, profile, self.environ)
        return service_endpoint("sts", profile, self.environ, default)

    def _sts_region(self) -> str:
        return self.region or "us-east-1"


def _answers(provider: CredentialProvider) -> bool:
    """Whether a provider answers credentials now (instance metadata may not be there)."""
    try:
        provider.get()
    except CredentialsError as exc:
        debug("no credentials: %s", exc, logger=CREDENTIALS)
        return False
    return True


def static(profile: Profile, section: Mapping[str, str]) -> StaticCredentials:
    """A profile's keys (aws_access_key_id, aws_secret_access_key, aws_session_token)."""
    keys = section.get("aws_access_key_id"), section.get("aws_secret_access_key")
    check_pair(keys, f"aws_access_key_id and aws_secret_access_key of {profile.where}")
    debug("credentials from %s", profile.where, logger=CREDENTIALS)
    token = section.get("aws_session_token") or None
    return StaticCredentials(Credentials(str(keys[0]), str(keys[1]), token))


def check_pair(pair: tuple[str | None, ...], names: str) -> None:
    if not all(pair):
        raise ParamError(f"{names} go together: only one of them is set")


def _assumes_role(profile: Profile) -> bool:
    return bool(
        profile.get("role_arn")
        and (profile.get("source_profile") or profile.get("credential_source"))
    )
