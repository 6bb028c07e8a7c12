"""A summary's id names the summary, not one copy of it, and two copies merge into one
record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import podsum
from conftest import FIXTURES, SEED, fixture_pages
from podsum.cli import app
from podsum.model import identity_text, merge, record_id, summary_id

PAGES = FIXTURES / "library" / "pages"
COPIES = [PAGES / "sample.txt", PAGES / "sample-more-views.txt", PAGES / "sample-no-meta.txt"]
ULISTEN = [FIXTURES / "ulisten" / f"{n}.txt" for n in ("main-page", "chapters-page", "faq-glued")]
runner = CliRunner()


def _parse(path: Path) -> podsum.Summary:
    return podsum.parse(path.read_bytes(), location=str(path))


def test_copies_of_one_page_are_one_id() -> None:
    ids = {_parse(p).id for p in COPIES}
    assert len(ids) == 1
    more, plain = _parse(COPIES[1]), _parse(COPIES[0])
    assert (more.views, plain.views) == (61200, 54900)  # the copies do differ
    assert [r.age for r in more.related] != [r.age for r in plain.related]
    assert _parse(COPIES[2]).published is None


def test_every_form_of_a_page_has_its_id() -> None:
    s = _parse(SEED)
    html = podsum.parse((SEED.parent / "bg2-china-open-source.html").read_bytes())
    md = podsum.parse(podsum.render(s, "md"))
    js = podsum.parse(json.dumps(s.to_dict()))
    utf16 = podsum.parse(SEED.read_text(encoding="utf-8").encode("utf-16"))
    assert {html.id, md.id, js.id, utf16.id} == {s.id}


def test_the_id_is_the_layout_title_and_show_normalised() -> None:
    s = _parse(SEED)
    assert s.id == summary_id("atmes", s.title, s.show)
    assert (
        summary_id(
            "atmes", "  China\u00a0Open-Source,  COMPUTE Arms Race, Reordering Global Trade", s.show
        )
        == s.id
    )
    assert summary_id("atmes", s.title, None) != s.id
    assert summary_id("ulisten", s.title, s.show) != s.id  # another site's summary
    assert identity_text("Ｆｕｌｌｗｉｄｔｈ  Straße") == "fullwidth strasse"


def test_a_record_without_a_layout_is_an_atmes_page() -> None:
    record = _parse(SEED).to_dict()
    del record["layout"]
    record["schema_version"] = 1
    assert record_id(record) == _parse(SEED).id
    assert podsum.parse(json.dumps(record)).id == _parse(SEED).id


def test_a_page_without_a_title_falls_back_to_its_content() -> None:
    a = _parse(SEED)
    a.title = ""
    b = _parse(COPIES[1])
    b.title = ""
    assert a.id != b.id  # views differ, so the content does
    assert a.id == a.to_dict()["id"] == record_id(a.to_dict())


@pytest.mark.parametrize("page", fixture_pages(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_id_in_the_record_is_the_summarys(page: Path) -> None:
    s = podsum.parse(page.read_bytes())
    assert s.to_dict()["id"] == s.id == record_id(s.to_dict())


def test_merge_keeps_what_the_newer_copy_lacks() -> None:
    full, bare = _parse(COPIES[1]), _parse(COPIES[2])
    merged = merge(full, bare)
    assert merged.views == 61200 and merged.published == "2025-07-31"
    assert merged.source.location == str(COPIES[2])
    assert merged.to_dict()["sections"] == bare.to_dict()["sections"]
    newer = merge(bare, full)
    assert newer.to_dict() == full.to_dict()  # the newer copy has everything
    assert merge(full, full).to_dict() == full.to_dict()


def test_merge_combines_an_episodes_pages_by_title() -> None:
    main, chapters, faq = map(_parse, ULISTEN)
    assert main.id == chapters.id == faq.id
    merged = merge(merge(main, chapters), faq)
    titles = [s.title for s in merged.sections]
    assert titles == [s.title for s in main.sections] + [s.title for s in faq.sections]
    assert [c.title for c in merged.chapters] == [c.title for c in chapters.chapters]
    assert merged.overview == main.overview
    # a later copy of the main page replaces its own sections, and keeps the FAQ
    again = merge(merged, main)
    assert [s.title for s in again.sections] == titles


def test_merge_places_new_sections_among_the_stored_ones() -> None:
    s = _parse(SEED)
    a, b, c = s.sections
    stored, newer = _parse(SEED), _parse(SEED)
    stored.sections = [b]
    newer.sections = [a, b, c]
    assert [x.title for x in merge(stored, newer).sections] == [a.title, b.title, c.title]
    stored.sections = [a, b]
    newer.sections = [c, b]
    assert [x.title for x in merge(stored, newer).sections] == [c.title, a.title, b.title]


def _ingest(lib: Path, *args: str) -> str:
    result = runner.invoke(app, ["ingest", "--library", str(lib), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_ingest_of_three_copies_is_one_summary(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    assert _ingest(lib, *map(str, COPIES)) == "1 new, 2 updated, 0 unchanged, 0 failed\n"
    assert _ingest(lib, *map(str, COPIES[::-1])) == "0 new, 2 updated, 1 unchanged, 0 failed\n"
    listed = runner.invoke(app, ["list", "--format", "json", "--library", str(lib)])
    (item,) = json.loads(listed.stdout)
    assert item["id"] == _parse(SEED).id
    assert (item["views"], item["published"]) == (54900, "2025-07-31")  # sample.txt, last


def test_no_update_keeps_what_is_there(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    _ingest(lib, str(COPIES[0]))
    assert (
        _ingest(lib, "--no-update", str(COPIES[1])) == "0 new, 0 updated, 1 unchanged, 0 failed\n"
    )
    assert _ingest(lib, "--update", str(COPIES[1])) == "0 new, 1 updated, 0 unchanged, 0 failed\n"
    shown = runner.invoke(app, ["show", _parse(SEED).id, "-f", "json", "--library", str(lib)])
    assert json.loads(shown.stdout)["views"] == 61200


def test_ingest_of_an_episodes_pages_combines_them(tmp_path: Path) -> None:
    lib = tmp_path / "library.db"
    assert _ingest(lib, *map(str, ULISTEN)) == "1 new, 2 updated, 0 unchanged, 0 failed\n"
    main, chapters, faq = map(_parse, ULISTEN)
    shown = runner.invoke(app, ["show", main.id, "-f", "json", "--library", str(lib)])
    record = json.loads(shown.stdout)
    assert len(record["sections"]) == len(main.sections) + len(faq.sections)
    assert len(record["chapters"]) == len(chapters.chapters)
