from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.config import (
    ConfigError,
    LoadedSettings,
    PricingChoice,
    Settings,
    load_settings,
    save_settings,
)

KEY = "A" * 16 + "b" * 8 + "12345678"
OTHER_KEY = "Z" * 32


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_without_file(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "missing.toml", environ={})
    s = loaded.settings
    assert s.api_key is None
    assert s.base_url == "https://api.smspool.net"
    assert s.poll_interval == 5.0
    assert s.pricing_option is PricingChoice.HIGHEST_SUCCESS
    assert loaded.key_source is None


def test_order_defaults_file_env_flags(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "c.toml",
        f'api_key = "{KEY}"\nbase_url = "https://file.example"\npoll_interval = 7\n',
    )
    from_file = load_settings(cfg, environ={})
    assert from_file.settings.base_url == "https://file.example"
    assert from_file.settings.poll_interval == 7
    assert from_file.key_source == "file"

    env = {"SMSPOOL_API_KEY": OTHER_KEY, "SMSPOOL_BASE_URL": "https://env.example"}
    from_env = load_settings(cfg, environ=env)
    assert from_env.settings.api_key.get_secret_value() == OTHER_KEY
    assert from_env.settings.base_url == "https://env.example"
    assert from_env.key_source == "env"

    flagged = load_settings(cfg, environ=env, overrides={"base_url": "http://127.0.0.1:9"})
    assert flagged.settings.base_url == "http://127.0.0.1:9"


def test_max_price_is_decimal(tmp_path: Path) -> None:
    cfg = write(tmp_path / "c.toml", "max_price = 0.1\n")
    assert load_settings(cfg, environ={}).settings.max_price == Decimal("0.1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("poll_interval = \n", "c.toml:1: not valid TOML"),
        ("colour = 'red'\n", "c.toml:1: colour: unknown setting"),
        ("\n\napi_key = 'short'\n", "c.toml:3: api_key: an SMSPool API key is 32"),
        ("base_url = 'http://api.smspool.net'\n", "c.toml:1: base_url: plain http is only"),
        ("poll_interval = 1\n", "c.toml:1: poll_interval: Input should be greater than or equal"),
        ("[notifications]\nbell = 'loud'\n", "c.toml:2: notifications.bell:"),
    ],
)
def test_bad_files_give_one_line_with_file_line_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    cfg = write(tmp_path / "c.toml", text)
    before = cfg.read_bytes()
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, environ={})
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path))
    assert expected in message
    assert cfg.read_bytes() == before


def test_bad_key_never_echoed(tmp_path: Path) -> None:
    secret = "s3cr3t-but-wrong-length"
    cfg = write(tmp_path / "c.toml", f'api_key = "{secret}"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, environ={})
    assert secret not in str(err.value)


def test_bad_env_value_names_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"SMSPOOL_BASE_URL \(environment\): base_url"):
        load_settings(tmp_path / "none.toml", environ={"SMSPOOL_BASE_URL": "ftp://x"})


def test_bad_flag_value_names_the_flag_not_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "none.toml", environ={}, overrides={"base_url": "foo"})
    assert str(err.value).startswith("--base-url: base_url:")
    assert "environment" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pol_interval = 5\n", "pol_interval: unknown setting; did you mean poll_interval?"),
        ("[notifications]\nbel = true\n", "notifications.bel: unknown setting; did you mean bell?"),
        ("zzz = 1\n", "zzz: unknown setting"),
    ],
)
def test_unknown_setting_suggests_the_near_one(tmp_path: Path, text: str, expected: str) -> None:
    cfg = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, environ={})
    assert str(err.value).endswith(expected)


def test_loopback_http_allowed(tmp_path: Path) -> None:
    for url in ("http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:80"):
        assert Settings(base_url=url).base_url == url


def test_save_is_atomic_private_and_round_trips(tmp_path: Path) -> None:
    cfg = tmp_path / "dir" / "config.toml"
    loaded = LoadedSettings(
        settings=Settings(api_key=KEY, poll_interval=9, max_price=Decimal("0.35")),
        path=cfg,
        key_source="onboarding",
    )
    save_settings(loaded)
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert list(cfg.parent.iterdir()) == [cfg]  # no temp file left behind
    again = load_settings(cfg, environ={})
    assert again.settings.api_key.get_secret_value() == KEY
    assert again.settings.poll_interval == 9
    assert again.settings.max_price == Decimal("0.35")


def test_env_key_and_flag_values_are_never_saved(tmp_path: Path) -> None:
    cfg = write(tmp_path / "c.toml", 'poll_interval = 8\nbase_url = "https://file.example"\n')
    loaded = load_settings(
        cfg, environ={"SMSPOOL_API_KEY": KEY}, overrides={"base_url": "http://127.0.0.1:1"}
    )
    loaded.settings.poll_interval = 11
    save_settings(loaded)
    text = cfg.read_text()
    assert KEY not in text
    assert "poll_interval = 11" in text
    assert 'base_url = "https://file.example"' in text
