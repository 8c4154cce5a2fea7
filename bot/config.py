"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES: tuple[str, ...] = ("es", "en", "ja", "de")
AXIS_CODES = frozenset({"innovation", "talent", "leadership", "globalization"})
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")


class Settings(BaseSettings):
    """Every setting of the bot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_path: Path = Path("data/clia.db")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Literal["es", "en", "ja", "de"] = "es"
    timezone: str = "America/Mexico_City"
    community_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8443, ge=1, le=65535)
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8088, ge=1, le=65535)
    dashboard_url: str | None = None
    sandbox_port: int = Field(default=8080, ge=1, le=65535)
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    backup_dir: Path | None = None
    # Coordinators of these axes (and admins) approve sourcing requests; empty: admins only.
    sourcing_axes: Annotated[frozenset[str], NoDecode] = frozenset({"globalization", "innovation"})
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept `123,456` (and spaces) as well as a list."""
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            for part in parts:
                if not re.fullmatch(r"-?\d+", part):
                    raise ValueError("must be Telegram user ids separated by commas, e.g. 123,456")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("sourcing_axes", mode="before")
    @classmethod
    def _split_axes(cls, value: object) -> object:
        """Accept `globalization,innovation` (and spaces, any case) as well as a set."""
        if isinstance(value, str):
            return frozenset(p.lower() for p in re.split(r"[,\s]+", value.strip()) if p)
        return value

    @field_validator("sourcing_axes")
    @classmethod
    def _known_axes(cls, value: frozenset[str]) -> frozenset[str]:
        if not value <= AXIS_CODES:
            raise ValueError(
                "must be axes among innovation, talent, leadership and globalization,"
                " separated by commas"
            )
        return value

    @field_validator(
        "telegram_bot_token", "webhook_url", "webhook_secret", "dashboard_url", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty line in `.env` (`WEBHOOK_URL=`) means the setting is not used."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("community_chat_id", "backup_dir", mode="before")
    @classmethod
    def _empty_optional_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return value

    @field_validator("telegram_api_base_url", "webhook_url", "dashboard_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known IANA time zone, e.g. America/Mexico_City") from exc
        return value

    @field_validator("default_language", mode="before")
    @classmethod
    def _lower_language(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("web_host")
    @classmethod
    def _host_shape(cls, value: str) -> str:
        value = value.strip()
        if not re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", value):
            raise ValueError("must be an IP address or host name, e.g. 127.0.0.1")
        return value

    @property
    def dashboard_base(self) -> str:
        """Where /dashboard's links point: DASHBOARD_URL, else the web server's address
        (the webhook's public address in webhook mode, WEB_HOST:WEB_PORT in polling mode)."""
        if self.dashboard_url:
            return self.dashboard_url
        if self.webhook_url:
            return f"{self.webhook_url}/dashboard"
        return f"http://{self.web_host}:{self.web_port}/dashboard"

    @property
    def tz(self) -> ZoneInfo:
        """The local time zone in which times are shown to people."""
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        """The bot token in clear, for the Telegram client only."""
        return (
            self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else None
        )


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it in one line."""


def load_settings(**overrides: object) -> Settings:
    """Load settings, turning pydantic's report into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Invalid setting {name}: {message}") from None
