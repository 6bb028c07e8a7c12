"""Tab completion in a real bash: the script `podsum --show-completion bash` prints (or
`--install-completion` installs) is sourced and its function called as bash calls it."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import podsum
from conftest import FIXTURES, ROOT, SEED, run_cli
from podsum.read import LAYOUTS

BIN = Path(sys.executable).parent
COMMANDS = [
    *("parse", "show", "ingest", "list", "search", "rm", "open", "export", "stats", "layouts"),
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_PODSUM", "COMP_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    proc = run_cli("--show-completion", "bash")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path_factory.mktemp("completion") / "podsum.bash"
    path.write_bytes(proc.stdout)
    return path


def bash_complete(
    script: Path, *words: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> list[str]:
    """What bash offers for ``podsum WORDS...`` (the last word is the one being typed)."""
    line = " ".join(shlex.quote(w) for w in ("podsum", *words))
    program = (
        f"source {shlex.quote(str(script))}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words)}; COMPREPLY=()\n"
        "_podsum_completion podsum\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=env or _env(),
        cwd=cwd,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    lib = tmp_path_factory.mktemp("lib") / "library.db"
    pages = [str(SEED), *map(str, sorted((FIXTURES / "better").glob("*.txt")))]
    proc = run_cli("ingest", "--jobs", "1", *pages, env={"PODSUM_LIBRARY": str(lib)})
    assert proc.returncode == 0, proc.stderr
    ids = sorted({podsum.parse(Path(p).read_bytes()).id for p in pages})
    return lib, ids


def test_commands_and_options(script: Path) -> None:
    assert bash_complete(script, "") == [*COMMANDS, "schema"]
    assert bash_complete(script, "s") == ["show", "search", "stats", "schema"]
    assert "--no-pager" in bash_complete(script, "list", "--")
    assert {"--until", "--fields", "--json"} <= set(bash_complete(script, "list", "--"))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["show", "--format", ""], ["cards", "md", "json", "text"]),
        (["show", "-f", "j"], ["json"]),
        (["list", "--format", ""], ["table", "json", "jsonl"]),
        (["search", "a", "-f", "js"], ["json", "jsonl"]),
        (["export", "--format", ""], ["md", "json", "jsonl"]),
        (["layouts", "--format", ""], ["text", "json"]),
        (["list", "--sort", ""], ["published", "ingested", "views", "title"]),
        (["list", "--fields", "id,t"], ["id,title"]),
        (["search", "x", "--json", "title,s"], ["title,show", "title,snippet"]),
    ],
)
def test_option_values(script: Path, words: list[str], expected: list[str]) -> None:
    assert bash_complete(script, *words) == expected


@pytest.mark.parametrize("command", ["parse", "show", "ingest"])
def test_layout_names_come_from_the_registry(script: Path, command: str) -> None:
    assert bash_complete(script, command, "--layout", "") == list(LAYOUTS)
    assert bash_complete(script, command, "--layout", "s") == ["signalcast", "scripod"]


def test_sources_are_left_to_the_shell_s_file_completion(script: Path) -> None:
    # Nothing offered: bash's `complete -o default` then completes file names.
    assert bash_complete(script, "parse", "") == []
    assert bash_complete(script, "ingest", "sam") == []


def test_library_ids(script: Path, library: tuple[Path, list[str]]) -> None:
    lib, ids = library
    env = _env(PODSUM_LIBRARY=str(lib))
    seed = podsum.parse(SEED.read_bytes()).id
    for command in ("rm", "open", "show"):
        assert bash_complete(script, command, seed[:3], env=env) == [
            i for i in ids if i.startswith(seed[:3])
        ]
    assert bash_complete(script, "rm", "", env=env) == ids
    assert bash_complete(script, "rm", seed, "", env=env) == ids  # rm takes several
    assert bash_complete(script, "rm", "zz", env=env) == []
    # A library named on the command line is the one read.
    other = _env(PODSUM_LIBRARY=str(lib.parent / "missing.db"))
    assert bash_complete(script, "open", seed[:4], env=other) == []
    assert bash_complete(script, "open", "--library", str(lib), seed[:4], env=other) == [seed]


def test_show_offers_files_first(
    script: Path, library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    lib, ids = library
    env = _env(PODSUM_LIBRARY=str(lib))
    # With nothing typed, `show` leaves it to the shell's file names ...
    assert bash_complete(script, "show", "", env=env, cwd=tmp_path) == []
    # ... offers ids once a hex digit is typed ...
    first = ids[0][:1]
    assert bash_complete(script, "show", first, env=env, cwd=tmp_path) == [
        i for i in ids if i.startswith(first)
    ]
    # ... unless a file there starts the same way.
    (tmp_path / f"{first}-notes.txt").write_text("x")
    assert bash_complete(script, "show", first, env=env, cwd=tmp_path) == []


def test_no_library_or_a_foreign_file_completes_nothing(script: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a library\n")
    for path in (tmp_path / "none.db", foreign):
        assert bash_complete(script, "rm", "", env=_env(PODSUM_LIBRARY=str(path))) == []
    assert foreign.read_text() == "not a library\n"
    assert not (tmp_path / "none.db").exists()


def test_install_completion_in_bash(tmp_path: Path, library: tuple[Path, list[str]]) -> None:
    lib, ids = library
    env = _env(HOME=str(tmp_path), PODSUM_LIBRARY=str(lib))
    proc = subprocess.run(
        [BIN / "podsum", "--install-completion", "bash"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    installed = tmp_path / ".bash_completions" / "podsum.sh"
    assert proc.stdout.startswith(f"bash completion installed in {installed}\n")
    assert f"source '{installed}'" in (tmp_path / ".bashrc").read_text()
    # An interactive bash reads ~/.bashrc, and Tab then works there.
    tab = '; _podsum_completion podsum; echo "${COMPREPLY[@]}"\n'
    program = (
        f"COMP_WORDS=(podsum show --format m); COMP_CWORD=3{tab}"
        f'COMP_WORDS=(podsum rm ""); COMP_CWORD=2{tab}'
    )
    shell = subprocess.run(
        ["bash", "-i"], input=program, capture_output=True, text=True, env=env, timeout=60
    )
    assert shell.stdout.splitlines() == ["md", " ".join(ids)]


def test_show_completion_detects_the_shell(tmp_path: Path) -> None:
    # `; true` keeps bash from replacing itself with podsum: bash is the parent.
    proc = subprocess.run(
        ["bash", "--norc", "-c", "podsum --show-completion; true"],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert proc.returncode == 0, proc.stderr
    assert "complete -o default -F _podsum_completion podsum" in proc.stdout


def test_other_shells_scripts_and_unknown_shells() -> None:
    zsh = run_cli("--show-completion", "zsh")
    assert zsh.returncode == 0 and b"compdef _podsum_completion podsum" in zsh.stdout
    fish = run_cli("--show-completion", "fish")
    assert fish.returncode == 0 and b"complete --command podsum" in fish.stdout
    bad = run_cli("--show-completion", "tcsh")
    assert bad.returncode == 2
    assert b"unknown shell 'tcsh'; choose from bash, zsh, fish" in bad.stderr


def _protocol(shell: str, line: str, lib: Path, **extra: str) -> str:
    env = _env(PODSUM_LIBRARY=str(lib), _PODSUM_COMPLETE=f"complete_{shell}", **extra)
    env["_TYPER_COMPLETE_ARGS"] = line
    proc = subprocess.run([BIN / "podsum"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_titles_beside_ids_are_inert_in_zsh_and_fish(tmp_path: Path) -> None:
    """zsh evaluates what completion prints: a title must not be able to end a quote."""
    lib = tmp_path / "lib.db"
    record = json.loads(run_cli("parse", str(SEED)).stdout)
    record["title"] = "Evil\\\"; touch pwned; \\\" $(id) `id` 'q' [bold]x[/] \x1b[31mred"
    proc = run_cli(
        "ingest", "-", stdin=json.dumps(record).encode(), env={"PODSUM_LIBRARY": str(lib)}
    )
    assert proc.returncode == 0, proc.stderr
    zsh = _protocol("zsh", "podsum rm ", lib)
    fish = _protocol("fish", "podsum rm ", lib, _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert "Evil" in zsh and "touch pwned" in zsh and "bold x" in zsh
    described = zsh.split(":", 1)[1]
    for dangerous in ("\\", "$", "`", "\x1b", "[bold]"):
        assert dangerous not in described, (dangerous, zsh)
    assert fish.split("\t")[1].strip() == "Evil touch pwned id id q bold x / red"


def test_completion_imports_nothing_heavy(library: tuple[Path, list[str]]) -> None:
    """A Tab press loads no reader's parsing code, no Rich, no lxml, no network."""
    lib, ids = library
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
        "from podsum.cli import main\n"
        "main()\n"
    )
    for line, cword in (("podsum parse --layout ", "3"), (f"podsum rm {ids[2][:5]}", "2")):
        env = _env(PODSUM_LIBRARY=str(lib), _PODSUM_COMPLETE="complete_bash")
        env |= {"COMP_WORDS": line, "COMP_CWORD": cword}
        proc = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT
        )
        offered = proc.stdout.split()
        assert offered == list(LAYOUTS) if "layout" in line else offered == [ids[2]], offered
        loaded = set(proc.stderr.split())
        readers = {f"podsum.read.{n}" for n in LAYOUTS}
        assert not loaded & (readers | {"rich", "lxml", "requests", "yaml", "ftfy"})
