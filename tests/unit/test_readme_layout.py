"""The README's layout of each service names files and folders that exist: a module renamed or
removed without the README following fails here, naming it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILE = re.compile(r"[\w/]+\.(?:py|json|html)\b")
FOLDER = re.compile(r"(?<![\w.</])([\w/]*\w)/(?=[\s,)]|$)")


def layout() -> list[tuple[Path, str]]:
    """(the section's root folder, a line of it) for every line of the README's layout block."""
    text = (ROOT / "README.md").read_text()
    start = text.index("Layout (STYLE.md §1)")
    block = text[text.index("```\n", start) + 4 :]
    block = block[: block.index("```")]
    lines, root = [], ROOT
    for line in block.splitlines():
        if line and not line[0].isspace():
            first, _, line = line.partition(" ")
            root = ROOT / first.rstrip("/")
        lines.append((root, line))
    return lines


def test_the_layout_block_is_found_and_names_modules():
    names = [name for _, line in layout() for name in FILE.findall(line)]
    assert len(names) > 80, names


def test_every_file_and_folder_the_readme_layout_names_exists():
    missing = []
    for root, line in layout():
        assert root.is_dir(), root
        for name in FILE.findall(line):
            found = (ROOT / name).exists() or any(
                str(p).endswith(f"/{name}") for p in root.rglob(Path(name).name)
            )
            if not found:
                missing.append(f"{root.relative_to(ROOT)}: {name}")
        for folder in FOLDER.findall(line):
            found = (ROOT / folder).is_dir() or folder == root.name
            found = found or any(p.is_dir() for p in root.rglob(folder.split("/")[-1]))
            if not found:
                missing.append(f"{root.relative_to(ROOT)}: {folder}/")
    assert not missing, "the README's layout names what is not there: " + ", ".join(missing)
