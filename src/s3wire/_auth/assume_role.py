"""Assume role: STS AssumeRole, signed with a source's credentials (another provider: a
source_profile's, or a credential_source's), for a profile's role_arn."""

from __future__ import annotations

from ..credentials_api import CredentialProvider, Credentials
from ..errors import ParamError
from . import sts
from .files import Profile
from .web_identity import session_name

DURATION_RANGE = (900, 43200)  # seconds STS allows


class AssumeRole:
    """Assumes `profile`'s role_arn with `source`'s credentials (a callable for
    RefreshingProvider). Options: role_session_name, external_id, duration_seconds."""

    def __init__(
        self, profile: Profile, source: CredentialProvider, *, endpoint: str, region: str
    ) -> None:
        if profile.get("mfa_serial"):
            raise ParamError(
                f"{profile.where} sets mfa_serial: s3wire cannot prompt for an MFA code; "
                "assume the role yourself and pass the session credentials"
            )
        self.source_name = f"assume role {profile.get('role_arn')!r} ({profile.name})"
        self._source = source
        self._params = {"RoleArn": str(profile.get("role_arn"))}
        external = profile.get("external_id")
        if external:
            self._params["ExternalId"] = external
        duration = profile.get("duration_seconds")
        if duration is not None:
            if (
                not duration.isdigit()
                or not DURATION_RANGE[0] <= int(duration) <= DURATION_RANGE[1]
            ):
                raise ParamError(
                    f"duration_seconds of {profile.where} must be {DURATION_RANGE[0]} to "
                    f"{DURATION_RANGE[1]}"
                )
            self._params["DurationSeconds"] = duration
        self._name = profile.get("role_session_name")
        self.endpoint = endpoint
        self.region = region

    def __call__(self) -> Credentials:
        params = {**self._params, "RoleSessionName": session_name(self._name)}
        return sts.call(
            self.source_name,
            "AssumeRole",
            params,
            endpoint=self.endpoint,
            region=self.region,
            signer_credentials=self._source.get(),
        )
