"""game.rules is the pure core: the standard library only, and nothing with I/O."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "game" / "rules"
FORBIDDEN = {"pygame", "pygame_gui", "websockets", "msgpack", "sqlite3", "asyncio",
             "threading", "socket", "redis", "io", "os", "pathlib", "time", "datetime",
             "subprocess", "shutil", "tomllib", "platformdirs", "select", "selectors",
             "urllib", "http", "multiprocessing", "concurrent", "logging", "tempfile"}
FORBIDDEN_CALLS = {"open", "input", "print", "__import__", "exec", "eval"}


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_rules_import_only_the_standard_library_and_no_io():
    files = sorted(RULES.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        for name in _imports(tree):
            assert name in sys.stdlib_module_names or name == "__future__", \
                f"{path.name} imports {name}, which is not in the standard library"
            assert name not in FORBIDDEN, f"{path.name} imports {name}: no I/O in game.rules"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, \
                    f"{path.name}:{node.lineno} calls {node.func.id}()"


def test_the_checker_itself_would_catch_a_forbidden_import():
    tree = ast.parse("import socket\nfrom pygame import display\n")
    assert _imports(tree) == {"socket", "pygame"}
