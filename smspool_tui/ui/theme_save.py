"""A theme chosen anywhere (Settings, or the palette's own Theme command) is saved, so it
survives a restart."""

from __future__ import annotations

from typing import Any

from smspool_tui.config import save_settings


def save_chosen_theme(app: Any, theme: Any) -> None:
    if theme.name == app.settings.theme or theme.name not in app.available_themes:
        return
    app.settings.theme = theme.name
    try:
        save_settings(app.loaded)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        app.notify(f"Theme not saved to {app.loaded.path} ({reason}).", markup=False)
