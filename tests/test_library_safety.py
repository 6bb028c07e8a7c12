"""The library file is the user's: podsum never takes over a file that is not its own,
never creates one to read from, reads one it may not write, and every failure of a
write is one line that names the real cause. Real SQLite files, real subprocesses;
the read-only and full-disk variants use real mounts and attributes where root may."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import page, write_pages
from typer.testing import CliRunner

import podsum
from conftest import SEED, run_cli
from podsum.cli import app
from podsum.db import APPLICATION_ID, MIGRATIONS, Library, LibraryError, Row, prepare
from podsum.dbmigrate import V1_SCHEMA
from podsum.dbschema import RECORD_COLUMNS
from podsum.ingest import CHUNK

runner = CliRunner()
SEED_ID = podsum.parse(SEED.read_bytes()).id
IS_ROOT = os.geteuid() == 0


@dataclasses.dataclass
class Ran:
    returncode: int
    stdout: bytes
    stderr: bytes


def _cli(*args: str, env: dict[str, str], stdin: bytes | None = None) -> Ran:
    """A command run in this process (typer's runner): fast, for tests that need no
    second process, no mount and no lock."""
    result = runner.invoke(app, list(args), input=stdin, env=env)
    return Ran(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def _env(lib: Path, **extra: str) -> dict[str, str]:
    return {"PODSUM_LIBRARY": str(lib), **extra}


def _state(path: Path) -> tuple[str, int, list[str]]:
    """What must not change: the bytes, the mtime, and the files beside it."""
    siblings = sorted(p.name for p in path.parent.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, siblings


def _sql(lib: Path, query: str) -> object:
    """One value, on a connection that is closed again (a mount must be unmountable)."""
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        return conn.execute(query).fetchone()[0]


def _count(lib: Path) -> int:
    return int(str(_sql(lib, "SELECT count(*) FROM summaries")))


def _one_line(stderr: str | bytes) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


# --- 1. a file that is not a podsum library is refused and left as it was ------------


def _notes_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.executemany("INSERT INTO notes VALUES (?)", [(f"note {i}",) for i in range(50)])
    conn.commit()
    conn.close()


def _wal_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE events (at TEXT, what TEXT)")
    conn.execute("INSERT INTO events VALUES ('now', 'something')")
    conn.commit()
    conn.close()


def _marked_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1179865158")  # another program's own mark
    conn.execute("PRAGMA user_version = 1")
    conn.execute("CREATE TABLE summaries (id TEXT PRIMARY KEY)")  # even a same-named table
    conn.commit()
    conn.close()


def _no_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("DROP TABLE scratch")
    conn.commit()
    conn.close()


FOREIGN = {"notes-app": _notes_app, "wal-app": _wal_app, "marked": _marked_app}
COMMANDS = {
    "ingest": ["ingest", str(SEED)],
    "list": ["list"],
    "search": ["search", "notes"],
    "show": ["show", "abcd1234"],
    "rm": ["rm", "abcd1234"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", FOREIGN)
def test_another_programs_sqlite_file_is_refused_untouched(
    tmp_path: Path, kind: str, command: str
) -> None:
    lib = tmp_path / "app.db"
    FOREIGN[kind](lib)
    before = _state(lib)
    result = runner.invoke(app, [*COMMANDS[command], "--library", str(lib)])
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert line.startswith(f"podsum: {lib}: not a podsum library ("), line
    assert _state(lib) == before  # same bytes, same mtime, no -wal, -shm or -journal


def test_an_sqlite_file_without_tables_is_not_taken_over(tmp_path: Path) -> None:
    lib = tmp_path / "empty.db"
    _no_tables(lib)
    before = _state(lib)
    proc = _cli("ingest", str(SEED), env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == (
        f"podsum: {lib}: not a podsum library (an SQLite database without podsum's tables)"
    )
    assert _state(lib) == before


@pytest.mark.parametrize(
    "content",
    [b"just some notes\n" * 100, b"SQLite format 3\x00" + b"\xff" * 200, b"SQLite"],
    ids=["text", "corrupt-header", "short"],
)
def test_files_that_are_not_sqlite_are_refused_untouched(tmp_path: Path, content: bytes) -> None:
    lib = tmp_path / "lib.db"
    lib.write_bytes(content)
    before = _state(lib)
    for args in (["ingest", str(SEED)], ["list"]):
        proc = _cli(*args, env=_env(lib))
        assert proc.returncode == 1
        assert _one_line(proc.stderr) == (
            f"podsum: {lib}: not a podsum library (not an SQLite database, or corrupt)"
        )
    assert _state(lib) == before


def test_a_fifo_as_the_library_is_refused_without_blocking(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    os.mkfifo(lib)
    proc = run_cli("list", env=_env(lib), timeout=30)
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: not a podsum library (not a regular file)"


def test_a_new_library_carries_podsums_mark(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    assert _cli("ingest", "-q", str(SEED), env=_env(lib)).returncode == 0
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def _library_made_before_the_mark(path: Path) -> None:
    """A library of today's layout without podsum's mark: application_id 0, as podsum
    left every library before it set one."""
    _make_library(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 0")
        conn.commit()


def test_a_library_made_before_the_mark_is_read_and_then_stamped(tmp_path: Path) -> None:
    lib = tmp_path / "old.db"
    _library_made_before_the_mark(lib)
    # Reading needs no write: it works while another program holds the write lock.
    holder = sqlite3.connect(lib, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        listed = _cli("list", "--format", "jsonl", env=_env(lib, PODSUM_BUSY_TIMEOUT="1"))
        hits = _cli("search", "open source", "--format", "jsonl", env=_env(lib))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(ln)["id"] for ln in listed.stdout.splitlines()] == [SEED_ID]
    assert hits.returncode == 0 and SEED_ID.encode() in hits.stdout
    assert _sql(lib, "PRAGMA application_id") == 0  # reading did not write
    proc = _cli("ingest", "-q", "-", stdin=page(1).encode(), env=_env(lib))
    assert proc.returncode == 0, proc.stderr
    assert _sql(lib, "PRAGMA application_id") == APPLICATION_ID  # stamped with the write
    assert _count(lib) == 2


def test_a_version_1_library_made_before_the_mark_is_upgraded_and_stamped(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "old.db"
    conn = sqlite3.connect(lib, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(V1_SCHEMA)
    conn.execute("PRAGMA user_version = 1")
    record = podsum.parse(SEED.read_bytes(), location=str(SEED)).to_dict()
    conn.execute(
        "INSERT INTO summaries (id, title, ingested_at, record) VALUES (?, ?, ?, ?)",
        ("e891a38c56b53d67", record["title"], "2025-01-01T00:00:00+00:00", json.dumps(record)),
    )
    conn.close()
    listed = _cli("list", "--format", "jsonl", env=_env(lib))
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(ln)["id"] for ln in listed.stdout.splitlines()] == [SEED_ID]
    assert _sql(lib, "PRAGMA application_id") == APPLICATION_ID
    assert _sql(lib, "PRAGMA user_version") == len(MIGRATIONS)
    shown = _cli("show", "e891a38c", "--format", "json", env=_env(lib))
    assert json.loads(shown.stdout)["id"] == SEED_ID


# --- 2. reading never creates a library ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--format", "json"], ["search", "sleep"], ["show", "cafe"], ["rm", "cafe"]],
    ids=["list", "list-json", "search", "show-id", "rm"],
)
def test_read_commands_never_create_a_library(tmp_path: Path, args: list[str]) -> None:
    lib = tmp_path / "not" / "there" / "library.db"
    proc = _cli(*args, env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: no library yet (ingest something first)"
    assert proc.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # not even the folder


def test_show_of_ids_without_a_library_says_so_once(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    proc = _cli("show", "cafe", "beef1234", str(SEED), "--format", "json", env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: no library yet (ingest something first)"
    assert json.loads(proc.stdout)[0]["id"] == SEED_ID  # the file SOURCE is still shown
    assert not lib.exists()


def test_an_empty_file_is_no_library_yet_for_readers(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    lib.write_bytes(b"")
    before = _state(lib)
    proc = _cli("list", env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: no library yet (ingest something first)"
    assert _state(lib) == before
    assert _cli("ingest", "-q", str(SEED), env=_env(lib)).returncode == 0  # a writer uses it
    assert _count(lib) == 1


# --- 3. a library podsum may read but not write -------------------------------------


def _make_library(lib: Path) -> None:
    with Library(lib) as made:
        made.add([podsum.parse(SEED.read_bytes(), location=str(SEED))])
    assert sorted(p.name for p in lib.parent.iterdir()) == [lib.name]  # closed cleanly


def _reads_work_and_writes_refused(lib: Path) -> None:
    before = _state(lib)
    listed = run_cli("list", "--format", "jsonl", env=_env(lib))
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(ln)["id"] for ln in listed.stdout.splitlines()] == [SEED_ID]
    hits = run_cli("search", "open source", "--format", "json", env=_env(lib))
    assert hits.returncode == 0, hits.stderr
    assert [h["id"] for h in json.loads(hits.stdout)] == [SEED_ID]
    shown = run_cli("show", SEED_ID[:6], "--format", "json", env=_env(lib))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == SEED_ID
    for args in (["ingest", "-", "-q"], ["rm", SEED_ID]):
        proc = run_cli(*args, stdin=page(1).encode(), env=_env(lib))
        assert proc.returncode == 1
        assert _one_line(proc.stderr) == f"podsum: {lib}: read-only"
    assert _state(lib) == before


def _unmount(mnt: Path) -> None:
    if subprocess.run(["umount", str(mnt)], capture_output=True).returncode:
        subprocess.run(["umount", "-l", str(mnt)], check=False)  # detach once unused


@pytest.fixture
def frozen_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be created in: chmod 0555, or for root (who ignores modes)
    the immutable attribute."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    _make_library(folder / "library.db")
    if IS_ROOT:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("root ignores chmod and chattr +i is not supported on this filesystem")
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if IS_ROOT:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_a_library_in_a_read_only_folder_can_be_read(frozen_folder: Path) -> None:
    _reads_work_and_writes_refused(frozen_folder / "library.db")
    other = frozen_folder / "other.db"
    proc = run_cli("ingest", "-q", str(SEED), env=_env(other))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {other}: cannot create (the folder is read-only)"


def test_a_library_on_a_read_only_mount_can_be_read(tmp_path: Path) -> None:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if not IS_ROOT:
        pytest.skip("mounting a read-only file system needs root")
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("mount is not permitted here")
    try:
        _make_library(mnt / "library.db")
        remount = ["mount", "-o", "remount,ro", str(mnt)]
        assert subprocess.run(remount, capture_output=True).returncode == 0
        _reads_work_and_writes_refused(mnt / "library.db")
    finally:
        _unmount(mnt)


def test_a_read_only_library_file_can_be_read(tmp_path: Path) -> None:
    """chmod alone: for root the file stays writable, and everything must still work."""
    lib = tmp_path / "library.db"
    _make_library(lib)
    lib.chmod(0o444)
    try:
        listed = _cli("list", "--format", "jsonl", env=_env(lib))
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout)["id"] == SEED_ID
        shown = _cli("show", SEED_ID[:6], "--format", "json", env=_env(lib))
        assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == SEED_ID
        if not IS_ROOT:
            proc = _cli("rm", SEED_ID, env=_env(lib))
            assert _one_line(proc.stderr) == f"podsum: {lib}: read-only"
    finally:
        lib.chmod(0o644)
    assert _count(lib) == 1


# --- 4. rm needs a real prefix --------------------------------------------------------


def test_rm_needs_four_hex_digits(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    _make_library(lib)
    for prefix in (SEED_ID[:1], SEED_ID[:3]):
        proc = _cli("rm", prefix, env=_env(lib))
        assert proc.returncode == 1
        assert _one_line(proc.stderr) == (f"podsum: {prefix}: give at least 4 hex digits of the id")
        assert proc.stdout == b""
    assert _count(lib) == 1
    proc = _cli("rm", SEED_ID[:4], env=_env(lib))
    assert proc.returncode == 0 and proc.stdout.decode() == f"removed {SEED_ID}\n"
    assert _count(lib) == 0


def test_rm_of_an_ambiguous_prefix_gives_the_real_count(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    with Library(lib) as opened:
        rows = [
            dataclasses.replace(prepare(podsum.parse(page(i))), id=f"abcd{i:012x}")
            for i in range(30)
        ]
        assert opened.add_rows(rows).new == 30
    proc = _cli("rm", "abcd", env=_env(lib))
    assert proc.returncode == 1
    line = _one_line(proc.stderr)
    assert line.startswith(
        "podsum: abcd: id prefix 'abcd' matches 30 summaries: abcd000000000000 ("
    )
    assert line.endswith(" and 25 more")
    assert _count(lib) == 30


# --- 5. a write that fails is one line with the real cause ---------------------------


def test_rm_on_a_locked_library_is_one_line(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    _make_library(lib)
    holder = sqlite3.connect(lib, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = run_cli("rm", SEED_ID, env=_env(lib, PODSUM_BUSY_TIMEOUT="1"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: locked by another program; try again"
    assert proc.stdout == b""
    assert _count(lib) == 1


def _page_count(lib: Path) -> int:
    return int(str(_sql(lib, "PRAGMA page_count")))


def test_a_full_disk_during_ingest_names_the_cause_and_what_was_kept(tmp_path: Path) -> None:
    """PODSUM_MAX_PAGES caps the file as a full disk would (SQLite's max_page_count)."""
    lib = tmp_path / "library.db"
    _make_library(lib)
    (tmp_path / "scratch").mkdir()
    scratch = tmp_path / "scratch" / "library.db"
    _make_library(scratch)
    start = _page_count(scratch)
    with Library(scratch) as measure:
        measure.add(podsum.parse(page(n)) for n in range(CHUNK))
    per_chunk = _page_count(scratch) - start
    write_pages(tmp_path / "pages", range(2 * CHUNK))
    limit = _page_count(lib) + per_chunk * 3 // 2  # room for one chunk, not two
    proc = run_cli("ingest", str(tmp_path / "pages"), env=_env(lib, PODSUM_MAX_PAGES=str(limit)))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == (
        f"podsum: {lib}: database or disk is full; committed {CHUNK} new, 0 updated"
    )
    assert _count(lib) == 1 + CHUNK
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM summaries_fts").fetchone()[0] == 1 + CHUNK


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if not IS_ROOT:
        pytest.skip("mounting a small file system needs root")
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("mount is not permitted here")
    try:
        yield mnt
    finally:
        _unmount(mnt)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the file system, then give ``leave`` bytes back."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, filler.stat().st_size - leave)
    return filler


def test_rm_on_a_full_disk_is_one_line_and_loses_nothing(small_disk: Path) -> None:
    lib = small_disk / "library.db"
    with Library(lib) as opened:
        opened.add([podsum.parse(page(i)) for i in range(20)])
        victim = opened.list_summaries(limit=1)[0]["id"]
    # room for the -shm index, not for the write-ahead log a delete needs
    filler = _fill(small_disk, 40 * 1024)
    proc = run_cli("rm", victim, env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == f"podsum: {lib}: database or disk is full"
    filler.unlink()
    assert _count(lib) == 20


# --- 6. a row the database refuses fails alone -----------------------------------------


def _with(row: Row, **changes: object) -> Row:
    """``row`` with some of its columns changed, past the checks a parse makes."""
    values = dict(zip(RECORD_COLUMNS, row.values, strict=True))
    values.update(changes)
    return dataclasses.replace(row, values=tuple(values[c] for c in RECORD_COLUMNS))


def test_a_row_the_database_refuses_fails_alone(tmp_path: Path) -> None:
    rows = [prepare(podsum.parse(page(i), location=f"page-{i}.txt")) for i in range(10)]
    rows[3] = _with(rows[3], views=10**20)
    rows[7] = _with(rows[7], title="half a surrogate \ud800")
    with Library(tmp_path / "library.db") as lib:
        result = lib.add_rows(rows)
        assert (result.new, result.unchanged, result.updated) == (8, 0, 0)
        assert [loc for loc, _ in result.failed] == ["page-3.txt", "page-7.txt"]
        assert "too large" in result.failed[0][1]
        assert rows[3].id in result.failed[0][1]
        assert lib.count() == 8
        assert lib.integrity_ok()
        fts = lib.conn.execute("SELECT count(*) FROM summaries_fts").fetchone()[0]
        assert fts == 8
        # and again, each page from another file: the same rows fail alone; the others
        # add nothing (unchanged), and their source follows the newest copy
        moved = [_with(r, source_location=f"elsewhere/{r.location}") for r in rows]
        again = lib.add_rows(moved)
        assert (again.new, again.updated, again.unchanged, len(again.failed)) == (0, 0, 8, 2)
        assert lib.count() == 8
        locations = {r[0] for r in lib.conn.execute("SELECT source_location FROM summaries")}
        assert locations == {f"elsewhere/page-{i}.txt" for i in range(10) if i not in (3, 7)}


def test_ingest_reports_a_refused_record_and_keeps_the_rest(tmp_path: Path) -> None:
    """A trigger in the user's library refuses one page (SQLite's RAISE(ABORT))."""
    lib = tmp_path / "library.db"
    _make_library(lib)
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        conn.execute(
            "CREATE TRIGGER no_episode_3 BEFORE INSERT ON summaries"
            " WHEN NEW.title LIKE 'Episode 3:%'"
            " BEGIN SELECT RAISE(ABORT, 'episode 3 is not wanted here'); END"
        )
    folder = tmp_path / "pages"
    paths = write_pages(folder, range(6))
    refused = podsum.parse(page(3)).id
    proc = _cli("ingest", str(folder), env=_env(lib))
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == (
        f"podsum: {paths[3]}: summary {refused} not stored: episode 3 is not wanted here"
    )
    assert proc.stdout.decode() == "5 new, 0 updated, 0 unchanged, 1 failed\n"
    assert _count(lib) == 6


def test_the_api_never_creates_a_library_to_read(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no library yet"):
        Library(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
