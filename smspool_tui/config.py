"""Settings: defaults < TOML file < environment < command-line flags.

Read with tomllib, written with tomli-w (atomic, mode 0600). Errors name the file, the line and
the field in one sentence, because the user fixes them by hand in an editor.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from smspool_tui.atomic import write_atomic

APP_NAME = "smspool-tui"
DEFAULT_BASE_URL = "https://api.smspool.net"
KEY_LENGTH = 32
KeySource = Literal["file", "env", "flag", "demo", "onboarding", "removed"]


class ConfigError(Exception):
    """A setting could not be read; the message is one line a user can act on."""


class PricingChoice(StrEnum):
    CHEAPEST = "cheapest"
    HIGHEST_SUCCESS = "highest_success"


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url.rstrip("/")
    if parts.scheme == "http":
        raise ValueError("plain http is only allowed to a loopback address; use https")
    raise ValueError(f"not an http(s) URL: {url!r}")


def check_api_key(value: str) -> str:
    key = value.strip()
    if len(key) != KEY_LENGTH or not key.isalnum():
        # Never echo the key back: the message may end up on a shared screen.
        raise ValueError(f"an SMSPool API key is {KEY_LENGTH} letters and digits")
    return key


class Notifications(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    toast: bool = True
    bell: bool = False
    auto_copy: bool = False


class DisplaySettings(BaseModel):
    """`[display]`: what `n` copies (the national digits most verification forms want, or
    E.164 with the country code) and whether times show in UTC instead of the local zone."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    copy_number: Literal["national", "e164"] = "national"
    utc: bool = False


class AutopilotSettings(BaseModel):
    """`[autopilot]`: when it stops for the account's sake (SMSPool blocks accounts whose
    purchases fail too often), and the default wait per attempt."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # Failed purchases or cancelled/expired numbers, in a row / in the last hour.
    max_failures_in_row: int = Field(default=5, ge=1, le=50)
    max_failures_per_hour: int = Field(default=10, ge=1, le=500)
    wait_seconds: int = Field(default=180, ge=30, le=1200)

    @model_validator(mode="after")
    def _hour_covers_row(self) -> AutopilotSettings:
        if self.max_failures_per_hour < self.max_failures_in_row:
            raise ValueError(
                "max_failures_per_hour must be at least max_failures_in_row "
                f"({self.max_failures_in_row})"
            )
        return self


class DesktopNotifications(BaseModel):
    """`[desktop_notifications]`: which events leave the terminal (the terminal's own
    notification escape, else the OS notifier, else only the toast and bell). The code itself
    is in one only with `show_code`: lock screens and shared displays show notifications."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    code: bool = True
    rental_message: bool = True
    watch: bool = True
    autopilot: bool = True
    expired: bool = True
    offline: bool = True
    show_code: bool = False
    backend: Literal["auto", "terminal", "os", "off"] = "auto"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    api_key: SecretStr | None = None
    base_url: str = DEFAULT_BASE_URL
    poll_interval: float = Field(default=5.0, ge=2, le=60)
    connect_timeout: float = Field(default=5.0, gt=0, le=60)
    read_timeout: float = Field(default=15.0, gt=0, le=120)
    pricing_option: PricingChoice = PricingChoice.HIGHEST_SUCCESS
    max_price: Decimal | None = Field(default=None, gt=0, max_digits=10, decimal_places=2)
    theme: str = "textual-dark"
    notifications: Notifications = Field(default_factory=Notifications)
    autopilot: AutopilotSettings = Field(default_factory=AutopilotSettings)
    desktop_notifications: DesktopNotifications = Field(default_factory=DesktopNotifications)
    watch_interval: int = Field(default=60, ge=60, le=3600)  # seconds between a watch's checks
    display: DisplaySettings = Field(default_factory=DisplaySettings)

    @field_validator("api_key", mode="before")
    @classmethod
    def _key(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return check_api_key(value)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return check_base_url(value)

    @field_validator("max_price", mode="before")
    @classmethod
    def _money(cls, value: Any) -> Any:
        if value in ("", None):
            return None
        if isinstance(value, float):
            value = repr(value)  # keep what was written, not the binary approximation
        return value


class Paths(BaseModel):
    config_file: Path
    data_dir: Path
    cache_dir: Path


def default_paths() -> Paths:
    import platformdirs

    env = os.environ
    return Paths(
        config_file=Path(
            env.get("SMSPOOL_CONFIG_FILE")
            or platformdirs.user_config_path(APP_NAME) / "config.toml"
        ),
        data_dir=Path(env.get("SMSPOOL_DATA_DIR") or platformdirs.user_data_path(APP_NAME)),
        cache_dir=Path(env.get("SMSPOOL_CACHE_DIR") or platformdirs.user_cache_path(APP_NAME)),
    )


class LoadedSettings(BaseModel):
    """Settings plus where the key came from (a key from the environment is never saved)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    settings: Settings
    path: Path
    key_source: KeySource | None = None
    # Fields set by the environment or flags for this run only: saving keeps the file's value.
    overridden: frozenset[str] = frozenset()


def _line_of(text: str, dotted: str) -> int | None:
    name = re.escape(dotted.split(".")[-1])
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*\"?{name}\"?\s*=", line):
            return number
    return None


def _near_match(loc: tuple[Any, ...]) -> str | None:
    """The known setting an unknown one was probably meant to be ("pol_interval")."""
    model: Any = Settings
    for part in loc[:-1]:  # down to the section ([notifications], [autopilot])
        field = model.model_fields.get(str(part))
        model = getattr(field, "annotation", None) if field else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    found = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return found[0] if found else None


def _explain(error: ValidationError, path: Path, text: str) -> str:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(file)"
    if first["type"] == "extra_forbidden":
        reason = "unknown setting"
        near = _near_match(tuple(first["loc"]))
        if near:
            reason += f"; did you mean {near}?"
    else:
        reason = first["msg"].removeprefix("Value error, ")
    line = _line_of(text, field)
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {field}: {reason}"


def read_file(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.__class__.__name__})") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{match.group(1)}" if match else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{where}: not valid TOML: {reason}") from None


def load_settings(
    path: Path | None = None,
    *,
    environ: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> LoadedSettings:
    """Build Settings from every source; raise ConfigError with a one-line reason."""
    environ = dict(os.environ) if environ is None else environ
    path = path or default_paths().config_file
    data, text = read_file(path)
    key_source: KeySource | None = "file" if data.get("api_key") else None
    try:
        Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, text)) from None
    merged = dict(data)
    overridden: set[str] = set()
    origin: dict[str, str] = {}  # where each value that is not the file's came from
    for name, variable in (("api_key", "SMSPOOL_API_KEY"), ("base_url", "SMSPOOL_BASE_URL")):
        if environ.get(variable):
            merged[name] = environ[variable]
            overridden.add(name)
            origin[name] = f"{variable} (environment)"
            if name == "api_key":
                key_source = "env"
    for name, value in (overrides or {}).items():
        if value is not None:
            merged[name] = value
            overridden.add(name)
            origin[name] = "--" + name.replace("_", "-")
            if name == "api_key":
                key_source = "flag"
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        where = origin.get(field, "command line")
        reason = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{where}: {field}: {reason}") from None
    return LoadedSettings(
        settings=settings, path=path, key_source=key_source, overridden=frozenset(overridden)
    )


def save_settings(loaded: LoadedSettings) -> None:
    """Persist settings. Values that came from the environment or flags for this run keep what
    the file had; a key is written only when it came from the file or onboarding."""
    existing, _ = read_file(loaded.path)
    body: dict[str, Any] = loaded.settings.model_dump(mode="json", exclude_none=True)
    body.pop("api_key", None)
    for name in loaded.overridden - {"api_key"}:
        body.pop(name, None)
        if name in existing:
            body[name] = existing[name]
    key = loaded.settings.api_key
    if loaded.key_source in ("file", "onboarding") and key is not None:
        body = {"api_key": key.get_secret_value(), **body}
    elif loaded.key_source != "removed" and existing.get("api_key"):
        body = {"api_key": existing["api_key"], **body}
    write_private(loaded.path, tomli_w.dumps(body).encode())


def write_private(path: Path, content: bytes) -> None:
    """Write atomically (temp file + rename) with owner-only permissions from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, content, mode=0o600)
