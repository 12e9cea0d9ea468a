"""Print the event catalog (shared.events.CATALOG) as a markdown table for README.md.

    python scripts/event_catalog.py                   # print the table
    python scripts/event_catalog.py --check README.md # exit 1 when the README's table differs
    python scripts/event_catalog.py --write README.md # replace the README's table

The table sits between the markers `<!-- event-catalog:start -->` and `<!-- event-catalog:end -->`.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

START = "<!-- event-catalog:start -->"
END = "<!-- event-catalog:end -->"


def catalog_table() -> str:
    """The markdown table of every event type, in the catalog's order."""
    from shared.events import CATALOG

    lines = [
        "| Event type | v | Subject | Meaning | Payload (`data`) |",
        "|---|---|---|---|---|",
    ]
    for spec in CATALOG.values():
        fields = ", ".join(f"`{name}`" for name in spec.schema._declared_fields)
        meaning = spec.doc.replace("|", "\\|")
        lines.append(
            f"| `{spec.type}` | {spec.version} | {spec.subject_kind} | {meaning} | {fields} |"
        )
    return "\n".join(lines) + "\n"


def split_readme(text: str) -> tuple[str, str, str]:
    """The README split into (before and start marker, table, end marker and after)."""
    try:
        head, rest = text.split(START + "\n", 1)
        table, tail = rest.split(END, 1)
    except ValueError:
        raise SystemExit(f"the markers {START} and {END} are missing") from None
    return head + START + "\n", table, END + tail


def main(argv: list[str] | None = None) -> int:
    """Print, check or write the table; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="README", type=Path, help="compare with this file")
    group.add_argument("--write", metavar="README", type=Path, help="update this file")
    args = parser.parse_args(argv)
    table = catalog_table()
    if args.check:
        _, current, _ = split_readme(args.check.read_text(encoding="utf-8"))
        if current == table:
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                table.splitlines(keepends=True),
                f"{args.check} (event catalog)",
                "shared.events.CATALOG",
            )
        )
        print(f"\n{args.check}: the event catalog is out of date; run `make event-catalog`")
        return 1
    if args.write:
        head, _, tail = split_readme(args.write.read_text(encoding="utf-8"))
        args.write.write_text(head + table + tail, encoding="utf-8")
        return 0
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere
    sys.exit(main())
