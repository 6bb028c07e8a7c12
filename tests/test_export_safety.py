"""`export` never overwrites what the user wrote: edited notes are kept (and named), a
user's own file is never taken for a note, and renamed or moved notes are found again."""

from __future__ import annotations

import json
from pathlib import Path

from pages import page

import podsum
from conftest import run_cli
from podsum.export import file_stem

MANIFEST = ".podsum-export"
MY_NOTES = "\n## My notes\n\nCall the guest back about the sequel.\n"


def _ingest(tmp_path: Path, pages: dict[str, str], *extra: str) -> None:
    """Write ``pages`` (file name -> text) and ingest them in one run."""
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text)
    proc = run_cli("ingest", "-q", "-j", "1", *extra, *(str(folder / n) for n in pages))
    assert proc.returncode == 0, proc.stderr


def _reingest_elsewhere(tmp_path: Path, numbers: range) -> None:
    """The same pages from another file: same ids, each note gains a new `source:`."""
    _ingest(tmp_path, {f"again-{n}.txt": page(n) for n in numbers}, "--update")


def _name(n: int, ext: str = ".md") -> str:
    s = podsum.parse(page(n))
    return file_stem(s, s.id) + ext


def _export(out: Path, *args: str) -> tuple[str, str]:
    proc = run_cli("export", "--out", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode(), proc.stderr.decode()


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _kept_line(path: Path) -> str:
    return f"podsum: {path}: changed since podsum wrote it; kept (use --force to overwrite)\n"


def test_an_edited_note_is_kept_named_and_counted(tmp_path: Path) -> None:
    _ingest(tmp_path, {f"{n}.txt": page(n) for n in (1, 2)})
    out = tmp_path / "notes"
    assert _export(out) == (f"exported 2 to {out}\n", "")
    note = out / _name(1)
    edited = note.read_text() + MY_NOTES
    note.write_text(edited)

    assert _export(out) == (f"exported 1 to {out}, kept 1 you edited\n", _kept_line(note))
    assert note.read_text() == edited
    # A newer version of the summary in the library does not make it less the user's.
    _reingest_elsewhere(tmp_path, range(1, 3))
    assert _export(out) == (f"exported 1 to {out}, kept 1 you edited\n", _kept_line(note))
    assert note.read_text() == edited
    assert "again-2.txt" in (out / _name(2)).read_text()

    assert _export(out, "--force") == (f"exported 2 to {out}\n", "")
    text = note.read_text()
    assert "My notes" not in text and "again-1.txt" in text
    assert _export(out) == (f"exported 2 to {out}\n", "")  # forced: podsum's again


def test_an_edited_json_file_is_kept(tmp_path: Path) -> None:
    _ingest(tmp_path, {"1.txt": page(1)})
    out = tmp_path / "records"
    _export(out, "--format", "json")
    path = out / _name(1, ".json")
    record = json.loads(path.read_text())
    record["my_rating"] = 5
    path.write_text(json.dumps(record))
    assert _export(out, "--format", "json") == (
        f"exported 0 to {out}, kept 1 you edited\n",
        _kept_line(path),
    )
    assert json.loads(path.read_text())["my_rating"] == 5


def test_an_edited_jsonl_file_is_kept(tmp_path: Path) -> None:
    _ingest(tmp_path, {"1.txt": page(1)})
    out = tmp_path / "dump"
    _export(out, "--format", "jsonl")
    path = out / "summaries.jsonl"
    path.write_text(path.read_text() + '{"mine": true}\n')
    assert _export(out, "--format", "jsonl") == (
        f"exported 0 to {out}, kept 1 you edited\n",
        _kept_line(path),
    )
    assert path.read_text().endswith('{"mine": true}\n')
    assert _export(out, "--format", "jsonl", "--force")[0] == f"exported 1 to {out}\n"
    assert "mine" not in path.read_text()


def test_a_users_file_that_quotes_the_id_is_not_replaced(tmp_path: Path) -> None:
    _ingest(tmp_path, {"1.txt": page(1)})
    summary_id = podsum.parse(page(1)).id
    out = tmp_path / "notes"
    out.mkdir()
    mine = out / _name(1)
    mine.write_text(f"# Reading list\n\nid: {summary_id}\n")
    _, err = _export(out)
    assert mine.read_text() == f"# Reading list\n\nid: {summary_id}\n"
    note = out / _name(1).replace(".md", "-2.md")
    assert podsum.parse(note.read_text()).id == summary_id
    assert err == (
        f"podsum: {note.name}: the name was taken by a file podsum did not write;"
        " kept that file and used this name instead\n"
    )
    # Front matter with the id but without podsum's key is the user's too.
    mine.write_text(f"---\nid: {summary_id}\n---\nmine\n")
    _export(out)
    assert mine.read_text() == f"---\nid: {summary_id}\n---\nmine\n"
    assert _files(out) == sorted([MANIFEST, mine.name, note.name])


def test_renamed_and_moved_notes_are_updated_where_they_are(tmp_path: Path) -> None:
    _ingest(tmp_path, {f"{n}.txt": page(n) for n in (1, 2, 3)})
    out = tmp_path / "notes"
    _export(out)
    (out / _name(1)).rename(out / "Sleep, episode one.md")
    (out / "shows" / "cs").mkdir(parents=True)
    (out / _name(2)).rename(out / "shows" / "cs" / "compilers.md")
    moved = _files(out)

    _reingest_elsewhere(tmp_path, range(1, 4))
    assert _export(out) == (f"exported 3 to {out}\n", "")
    assert _files(out) == moved  # no duplicates at the old names
    assert "again-1.txt" in (out / "Sleep, episode one.md").read_text()
    assert "again-2.txt" in (out / "shows" / "cs" / "compilers.md").read_text()
    assert "again-3.txt" in (out / _name(3)).read_text()

    # Moved and edited: still the user's, still no duplicate.
    edited = out / "shows" / "cs" / "compilers.md"
    edited.write_text(edited.read_text() + MY_NOTES)
    assert _export(out) == (f"exported 2 to {out}, kept 1 you edited\n", _kept_line(edited))
    assert _files(out) == moved


def test_without_the_manifest_notes_are_found_by_their_front_matter(tmp_path: Path) -> None:
    _ingest(tmp_path, {f"{n}.txt": page(n) for n in (1, 2, 3)})
    out = tmp_path / "notes"
    _export(out)
    id1 = podsum.parse(page(1)).id
    (out / MANIFEST).unlink(missing_ok=True)
    (out / _name(1)).rename(out / "renamed.md")
    (out / "sub").mkdir()
    (out / _name(2)).rename(out / "sub" / "moved.md")
    # A user's note that quotes a summary's id in its body is not podsum's note.
    (out / "index.md").write_text(f"# Index\n\nid: {id1}\n\npodsum: yes\n")
    before = _files(out)
    assert _export(out) == (f"exported 3 to {out}\n", "")
    assert _files(out) == sorted([*before, MANIFEST])
    assert (out / "index.md").read_text() == f"# Index\n\nid: {id1}\n\npodsum: yes\n"

    # No record of what podsum wrote: a note that differs from this export is kept.
    (out / MANIFEST).unlink()
    _reingest_elsewhere(tmp_path, range(3, 4))
    note3 = out / _name(3)
    assert _export(out) == (f"exported 2 to {out}, kept 1 you edited\n", _kept_line(note3))
    assert "again-3.txt" not in note3.read_text()


def test_a_damaged_manifest_is_one_line_and_nothing_is_duplicated(tmp_path: Path) -> None:
    _ingest(tmp_path, {"1.txt": page(1)})
    out = tmp_path / "notes"
    _export(out)
    (out / _name(1)).rename(out / "mine.md")
    (out / MANIFEST).write_text("{not json")
    stdout, err = _export(out)
    assert stdout == f"exported 1 to {out}\n"
    assert err == (
        f"podsum: {out / MANIFEST}: not a podsum export record; "
        "notes were found by their front matter\n"
    )
    assert _files(out) == [MANIFEST, "mine.md"]
    assert json.loads((out / MANIFEST).read_text())  # rewritten whole


def test_same_named_notes_keep_their_names(tmp_path: Path) -> None:
    """Two summaries with one title and date (two shows): -2 for the second, on every
    export."""
    _ingest(tmp_path, {"a.txt": page(1), "b.txt": page(1).replace("| Huberman Lab", "| Volts")})
    out = tmp_path / "notes"
    _export(out)
    first = _files(out)
    assert first == sorted([MANIFEST, _name(1), _name(1).replace(".md", "-2.md")])
    contents = {p: (out / p).read_text() for p in first if p != MANIFEST}
    assert _export(out) == (f"exported 2 to {out}\n", "")
    assert _files(out) == first
    assert {p: (out / p).read_text() for p in contents} == contents
