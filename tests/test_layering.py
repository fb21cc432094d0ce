"""The wall between layers, and the shape of the package, are tested, not promised.

Each rule is a function over source text (or an import graph built from it), so each is also
run on a tiny synthetic example that must fail: a checker that cannot fail is no test.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "smspool_tui"
MAX_LINES = 400


def modules_of(sub: str) -> list[str]:
    return [
        "smspool_tui." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in sorted((PACKAGE / sub).rglob("*.py"))
        if p.name != "__main__.py"
    ]


# ---- the import graph -------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` imports, at any depth (function-local too), except inside
    `if TYPE_CHECKING:` (annotations only, never run). `from a import b` yields `a` and `a.b`
    (b may be a submodule); the graph keeps only names that are modules of the package."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def package_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = {
        ".".join((root.name, *p.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__"
        ): p
        for p in root.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        deps = imports_of(path.read_text(), name, is_package=path.name == "__init__.py")
        # Importing a.b.c runs a/__init__ and a/b/__init__ too, but those edges are Python's,
        # not ours; only the named modules count.
        graph[name] = {d for d in deps if d in files and d != name}
    return graph


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return sorted(cycles)


def test_no_import_cycles() -> None:
    assert find_cycles(package_graph()) == []


def test_the_cycle_finder_can_fail(tmp_path: Path) -> None:
    pkg = tmp_path / "demo_pkg"
    (pkg / "ui").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ui" / "__init__.py").write_text("")
    (pkg / "ui" / "app.py").write_text("from demo_pkg.ui.screen import Screen\n")
    # a function-local import still closes the loop ...
    (pkg / "ui" / "screen.py").write_text("def f():\n    from . import app\n")
    # ... an annotation-only one does not
    (pkg / "ui" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from demo_pkg.ui import app\n"
    )
    (pkg / "cli.py").write_text("import demo_pkg.ui.typed\n")
    assert find_cycles(package_graph(pkg)) == [["demo_pkg.ui.app", "demo_pkg.ui.screen"]]


# ---- size ---------------------------------------------------------------------------------------


def oversized(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    sizes = {
        str(p.relative_to(root.parent)): len(p.read_text().splitlines()) for p in root.rglob("*.py")
    }
    return {name: n for name, n in sorted(sizes.items()) if n > limit}


def test_no_module_over_400_lines() -> None:
    # No exemptions, so nothing hides.
    assert oversized(PACKAGE) == {}


def test_the_size_check_can_fail(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "small.py").write_text("x = 1\n" * MAX_LINES)
    (pkg / "big.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert oversized(pkg) == {"pkg/big.py": MAX_LINES + 1}


# ---- who may import what ------------------------------------------------------------------------


def importers_of(graph: Mapping[str, Iterable[str]], layer: str, target: str) -> list[str]:
    """Modules of `layer` (a dotted prefix) importing `target` or anything under it."""
    return sorted(
        m
        for m, deps in graph.items()
        if (m == layer or m.startswith(layer + "."))
        and any(d == target or d.startswith(target + ".") for d in deps)
    )


def external_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Like package_graph, but keeps third-party names too (httpx, textual)."""
    graph: dict[str, set[str]] = {}
    for p in root.rglob("*.py"):
        name = ".".join((root.name, *p.relative_to(root).with_suffix("").parts))
        graph[name.removesuffix(".__init__")] = imports_of(
            p.read_text(), name, is_package=p.name == "__init__.py"
        )
    return graph


def test_ui_never_imports_cli() -> None:
    assert importers_of(package_graph(), "smspool_tui.ui", "smspool_tui.cli") == []


def test_ui_never_imports_httpx() -> None:
    assert importers_of(external_graph(), "smspool_tui.ui", "httpx") == []


def test_core_never_imports_httpx() -> None:
    assert importers_of(external_graph(), "smspool_tui.core", "httpx") == []


def test_the_import_rules_can_fail() -> None:
    graph = {
        "smspool_tui.ui.screens.onboarding": {"smspool_tui.cli", "textual"},
        "smspool_tui.ui.app": {"httpx.AsyncClient"},
        "smspool_tui.uix": {"smspool_tui.cli"},  # not in ui: a prefix is a package, not a string
    }
    assert importers_of(graph, "smspool_tui.ui", "smspool_tui.cli") == [
        "smspool_tui.ui.screens.onboarding"
    ]
    assert importers_of(graph, "smspool_tui.ui", "httpx") == ["smspool_tui.ui.app"]
    local = imports_of("def f():\n    import httpx\n", "smspool_tui.ui.x")
    assert "httpx" in local


# ---- nobody but the App touches its private fields ----------------------------------------------

PRIVATE_APP = re.compile(r"\b(?:self\.app|smsapp|app)\._[A-Za-z]\w*")


def private_app_uses(root: Path, allowed: str = "ui/app.py") -> list[str]:
    hits = []
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root).as_posix()
        if rel == allowed:
            continue
        for n, line in enumerate(p.read_text().splitlines(), 1):
            if PRIVATE_APP.search(line.split("#", 1)[0]):
                hits.append(f"{rel}:{n}: {line.strip()}")
    return hits


def test_only_the_app_touches_app_private_fields() -> None:
    assert private_app_uses(PACKAGE) == []


def test_the_private_field_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "app.py").write_text("self._modes = {}\napp._x = 1\n")
    (tmp_path / "ui" / "screen.py").write_text(
        "a = self.app._modes\nb = self.smsapp._session_factory\nc = app.session  # app._x\n"
    )
    assert private_app_uses(tmp_path) == [
        "ui/screen.py:1: a = self.app._modes",
        "ui/screen.py:2: b = self.smsapp._session_factory",
    ]


# ---- Textual stays out of api/core/sim (a real import in a fresh process) -----------------------


def loaded_textual(mods: list[str]) -> int:
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def test_api_core_sim_never_load_textual() -> None:
    mods = modules_of("api") + modules_of("core") + modules_of("sim")
    mods += ["smspool_tui.config", "smspool_tui.demo", "smspool_tui.cli"]
    assert loaded_textual(mods) == 0


def test_the_textual_check_can_fail() -> None:
    assert loaded_textual(["smspool_tui.ui.protocol", "smspool_tui.ui.secret_input"]) > 0


# ---- the App keeps the promise screens rely on ---------------------------------------------------


def missing_members(protocol: type, obj: object) -> list[str]:
    names = set(getattr(protocol, "__annotations__", {})) | {
        n
        for n, v in vars(protocol).items()
        if not n.startswith("_") and (callable(v) or isinstance(v, property))
    }
    return sorted(n for n in names if not hasattr(obj, n))


def test_the_app_has_every_member_of_the_screens_protocol(tmp_path: Path) -> None:
    from smspool_tui.ui.protocol import SmsApp
    from tests.harness import make_test_app

    app = make_test_app(None, tmp_path, monitors=False)
    assert missing_members(SmsApp, app) == []
    promised = set(SmsApp.__annotations__) | set(dir(SmsApp))
    assert {"sign_in", "start_demo", "replace_key", "sign_out", "session", "clock"} <= promised


def test_the_protocol_check_can_fail() -> None:
    from smspool_tui.ui.protocol import SmsApp

    class Partial:
        loaded = paths = demo = session = balance = core_events = None

    assert missing_members(SmsApp, Partial()) == [
        "autopilot",
        "clock",
        "replace_key",
        "settings",
        "sign_in",
        "sign_out",
        "start_autopilot",
        "start_demo",
    ]
