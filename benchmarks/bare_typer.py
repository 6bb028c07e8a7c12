"""The floor any Typer CLI pays: one command that reads a file and prints it."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(path: Path) -> None:
    sys.stdout.write(path.read_text(encoding="utf-8", errors="replace"))


if __name__ == "__main__":
    app()
