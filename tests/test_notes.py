"""Notes for Obsidian and other notes apps: the front matter's keys (aliases, date, tags,
no nulls), Markdown read back as the page parses (older podsum's notes too), the YAML
writers, and file names in the title's own script that every OS accepts."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podsum
from conftest import FIXTURES, ROOT, SEED, fixture_pages, page_id, run_cli
from podsum.export import MAX_STEM_BYTES, file_stem, slug
from podsum.model import Person, Source, Summary
from podsum.names import cut, hyphenated, is_reserved, portable, tag
from podsum.render.markdown import dump_yaml, yaml_dumper

# Markdown as podsum wrote it before notes apps' keys (podsum: 2, nulls and all):
# show--<layout>--<case>.md is `show --format md` of tests/fixtures/<layout>/<case>,
# export--<layout>--<case>.md what `export` wrote for it.
LEGACY = Path(__file__).parent / "legacy_markdown"
_COPY_FIELDS = ("source", "warnings", "extra_lines")  # how a page was obtained


def _content(s: podsum.Summary | dict[str, Any]) -> dict[str, Any]:
    d = s if isinstance(s, dict) else s.to_dict()
    return {k: v for k, v in d.items() if k not in _COPY_FIELDS}


def _front(md: str) -> dict[str, Any]:
    """The front matter as Obsidian finds it: from the first line to the next ``---``."""
    assert md.startswith("---\n")
    loaded = yaml.safe_load(md[4 : md.index("\n---\n", 3) + 1])
    assert isinstance(loaded, dict)
    return loaded


def obsidian_tag(t: str) -> bool:
    """Obsidian's rules: letters (any script, with their marks), digits, ``_``, ``-`` and
    ``/`` for nesting; no blanks; at least one character that is not a digit; no ``#``."""
    allowed = all(unicodedata.category(c)[0] in "LMN" or c in "_-/" for c in t)
    nests = all(t.split("/"))  # no empty level
    return bool(t) and allowed and nests and not t.isdigit()


# --- the front matter ---------------------------------------------------------------


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_front_matter_for_notes_apps(page: Path) -> None:
    s = podsum.parse(page.read_bytes())
    fm = _front(podsum.render(s, "md"))
    assert (fm["podsum"], fm["id"], fm["title"]) == (2, s.id, s.title)
    assert fm["aliases"][-1] == s.id
    assert all("\n" not in a and not re.search(r"[\[\]|#^]", a) for a in fm["aliases"])
    if s.published is None:
        assert "date" not in fm and "published" not in fm
    else:
        assert fm["date"] == datetime.date.fromisoformat(s.published)  # a YAML date
        assert fm["published"] == s.published  # the record's string
    assert fm["tags"][-1] == f"podsum/{s.layout}"
    assert all(obsidian_tag(t) for t in fm["tags"]), fm["tags"]
    assert len(set(fm["tags"])) == len(fm["tags"])
    record = s.to_dict()
    for key, value in record.items():
        if key in fm and key != "people":
            assert fm[key] == value, key
        elif value is None or value == []:
            assert key not in fm, key  # a null field or empty list is left out

    def no_nulls(v: object) -> None:
        assert v is not None and v != [], fm
        if isinstance(v, dict):
            for x in v.values():
                no_nulls(x)
        elif isinstance(v, list):
            for x in v:
                no_nulls(x)

    no_nulls(fm)


def test_tags_come_from_show_topics_and_layout() -> None:
    s = podsum.parse((FIXTURES / "longcut" / "html-page.html").read_bytes())
    assert podsum.render(s, "md").startswith(
        f"---\npodsum: 2\nid: {s.id}\ntitle: How Glaciers Carve Valleys\n"
        f"aliases:\n- How Glaciers Carve Valleys\n- {s.id}\n"
        "tags:\n- show/field-geology-notes\n- glacier-flow\n- abrasion-and-striations\n"
        "- plucking\n- u-shaped-valleys\n- moraines-and-dating\n- podsum/longcut\n"
        "show: Field Geology Notes\ntopics:\n- Glacier flow\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Machine Learning", "machine-learning"),
        ("AI/ML", "ai-ml"),  # "/" would nest the tag
        ("#hashtag", "hashtag"),
        ("C++ & Rust!", "c-rust"),
        ("1984", None),  # digits alone are no tag
        ("2024-25", None),
        ("Web 3.0", "web-3-0"),
        ("人工知能", "人工知能"),
        ("Économie Française", "économie-française"),
        ("التعليم", "التعليم"),
        ("\u200fשלום\u200f", "שלום"),  # direction marks vanish
        ("🎧", None),
        ("👩🏽‍💻 coding", "coding"),
        ("Ｆｕｌｌ　Ｗｉｄｔｈ", "full-width"),
        ("   ", None),
        ("x" * 500, "x" * 100),
    ],
)
def test_a_tag_follows_obsidians_rules(text: str, expected: str | None) -> None:
    assert tag(text) == expected
    assert expected is None or obsidian_tag(expected)


def test_tags_aliases_and_date_are_never_read_back() -> None:
    """The record's fields are the truth: a show tag is no topic, and what a notes app
    edits in the derived keys changes nothing podsum reads."""
    s = podsum.parse(SEED.read_bytes())
    md = podsum.render(s, "md")
    assert "tags:\n- show/" in md
    back = podsum.parse(md)
    assert back.topics == [] and _content(back) == _content(s)
    edited = md.replace("- podsum/atmes\n", "- podsum/atmes\n- my-own-tag\n")
    edited = edited.replace("date: 2025-07-31\n", "date: 2020-01-01\n")
    edited = edited.replace(f"- {s.id}\n", f"- {s.id}\n- My alias\n")
    assert edited.count("my-own-tag") == edited.count("My alias") == 1
    assert edited.count("2020-01-01") == 1
    assert _content(podsum.parse(edited)) == _content(s)


def test_absent_keys_read_as_null_or_empty() -> None:
    md = "---\npodsum: 2\nid: 0123456789abcdef\ntitle: Bare\n---\n\n# Bare\n"
    s = podsum.parse(md)
    record = s.to_dict()
    assert record["title"] == "Bare" and record["layout"] == "atmes"
    assert all(record[k] is None for k in ("url", "show", "published", "views", "duration"))
    assert (record["people"], record["topics"], record["sections"]) == ([], [], [])


# --- Markdown reads back as the page parses -------------------------------------------


def test_exported_notes_parse_as_their_pages_every_fixture(tmp_path: Path) -> None:
    """End to end: `podsum parse note.md` gives what `podsum parse page` gives."""
    pages = [str(p) for p in fixture_pages()]
    assert run_cli("ingest", "--quiet", *pages).returncode == 0
    out = tmp_path / "notes"
    assert run_cli("export", "--out", str(out)).returncode == 0
    notes = sorted(str(p) for p in out.glob("*.md"))
    # The library's records: copies and pages of one summary (a site's main, chapters
    # and FAQ pages) are merged there, and a note is of the merged summary.
    records = tmp_path / "records"
    assert run_cli("export", "--format", "jsonl", "--out", str(records)).returncode == 0
    from_notes = run_cli("parse", "--jsonl", *notes)
    assert from_notes.returncode == 0, from_notes.stderr
    stored = (records / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    expected = {r["id"]: _content(r) for r in map(json.loads, stored)}
    got = [json.loads(line) for line in from_notes.stdout.splitlines()]
    assert len(got) == len(expected) == len(notes)
    for record in got:
        assert _content(record) == expected[record["id"]]
        assert record["warnings"] == []


def _legacy_page(note: Path) -> Path:
    layout, case = note.stem.split("--")[1:]
    return next(p for p in fixture_pages(layout) if p.stem == case)


@pytest.mark.parametrize("note", sorted(LEGACY.glob("*.md")), ids=lambda p: p.name)
def test_notes_older_podsum_wrote_still_read(note: Path) -> None:
    """Markdown as podsum wrote it before notes apps' keys: every field, nulls and empty
    lists included; ``export`` added ``tags: [podcast, <show>]`` and ``source``."""
    text = note.read_text(encoding="utf-8")
    assert "\nurl: null\n" in text or "\nurl: http" in text
    assert "\ntopics:" in text and "\naliases:" not in text
    s = podsum.parse(text)
    assert s.source.kind == "markdown" and s.warnings == []
    assert _content(s) == _content(podsum.parse(_legacy_page(note).read_bytes()))


def test_an_old_export_note_keeps_its_tags_out_of_the_record() -> None:
    text = (LEGACY / "export--generic--summary-then-transcript.md").read_text(encoding="utf-8")
    assert "tags:\n- podcast\n- deep-water-notes\nsource:" in text
    assert podsum.parse(text).topics == ["octopus", "sleep", "neuroscience", "aquariums"]


# --- hostile text in every key ---------------------------------------------------------

HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *("'", '"', ":", ": ", " #", "#", "---", "...", "\n", "\n---\n", "[[", "]]"),
                *("- ", "-", "* ", "&a", "!t", "|", ">", "%", "@", "`", "{", "}", "[", "]"),
                *(",", "?", "~", "null", "yes", "2025-07-31", "1:04:21", "0x1F", "\t"),
                *("😀", "👩🏽\u200d💻", "🇨🇳", "\u200f", "\u200e", "\u202e", "\x1b[31m", "\x07"),
                *("\x85", "\u2028", "\ufeff", "é", "e\u0301", "中文", "العربية", " ", "  "),
            ]
        ),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _cleaned(**fields: Any) -> Summary:
    """A record as podsum holds one: page text cleaned as any JSON record is."""
    d = podsum.parse(SEED.read_bytes()).to_dict()
    d.update(fields)
    return podsum.parse(json.dumps(d))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, show=HOSTILE, topics=st.lists(HOSTILE, max_size=3), name=HOSTILE)
def test_hostile_text_never_breaks_the_front_matter(
    title: str, show: str, topics: list[str], name: str
) -> None:
    s = _cleaned(
        title=title,
        show=show,
        topics=topics,
        people=[{"name": name, "role": "guest", "about": title}],
        url=show,
    )
    md = podsum.render(s, "md")
    fm = _front(md)  # ends at the first "---" line, as notes apps read it
    assert (fm["title"], fm.get("show"), fm.get("url")) == (s.title, s.show, s.url)
    assert fm.get("topics", []) == s.topics
    person = s.people[0]
    assert fm["people"] == [{"name": person.name, "role": "guest", "about": person.about}]
    assert all("\n" not in a and not re.search(r"[\[\]|#^]", a) for a in fm["aliases"])
    assert all(obsidian_tag(t) for t in fm["tags"]), fm["tags"]
    assert _content(podsum.parse(md)) == _content(s)
    assert md == podsum.render(podsum.parse(md), "md")


# --- the YAML writers ------------------------------------------------------------------

_PURE = {"allow_unicode": True, "sort_keys": False, "width": 2**31 - 1}


def _fm(md: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(md[4 : md.index("\n---\n", 3) + 1])
    return loaded


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_libyaml_writes_the_same_front_matter_for_every_fixture() -> None:
    used_c = 0
    for page in fixture_pages():
        fm = _fm(podsum.render(podsum.parse(page.read_bytes()), "md"))
        pure = yaml.dump(fm, Dumper=yaml.SafeDumper, **_PURE)
        assert yaml.dump(fm, Dumper=yaml.CSafeDumper, **_PURE) == pure, page
        assert dump_yaml(fm) == pure
        used_c += yaml_dumper(fm) is yaml.CSafeDumper
    assert used_c > 40  # most pages have no emoji in their front matter


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_front_matter_text_is_the_pure_dumpers_whichever_writes_it(texts: list[str]) -> None:
    fm: dict[str, Any] = {"podsum": 2, "title": texts[0], "aliases": texts}
    fm["people"] = [{"name": t, "about": t} for t in texts]
    assert dump_yaml(fm) == yaml.dump(fm, Dumper=yaml.SafeDumper, **_PURE)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_libyaml_is_used_unless_it_would_write_differently() -> None:
    assert yaml_dumper({"title": "Plain, with: colons 中文 é"}) is yaml.CSafeDumper
    # libyaml escapes emoji (any character past U+FFFF) and NEL that PyYAML writes as
    # they are.
    for text in ("Tea 🍵", "𠀀", "x\x85y", "\u2029\x85"):
        assert yaml_dumper({"people": [{"name": text}]}) is yaml.SafeDumper
        c = yaml.dump({"t": text}, Dumper=yaml.CSafeDumper, **_PURE)
        assert c != yaml.dump({"t": text}, Dumper=yaml.SafeDumper, **_PURE)


# --- file names --------------------------------------------------------------------------


def _named(title: str, published: str | None = "2025-06-18") -> str:
    s = Summary(title=title, source=Source("text", None, "0" * 64, "utf-8"), published=published)
    return file_stem(s, s.id)


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("人工智能如何改变编程", "2025-06-18-人工智能如何改变编程"),
        ("東京の夜：ジャズ喫茶の物語", "2025-06-18-東京の夜-ジャズ喫茶の物語"),
        ("\u200fالذكاء الاصطناعي والتعليم", "2025-06-18-الذكاء-الاصطناعي-والتعليم"),
        ("Café Crème: L'Été à Paris", "2025-06-18-café-crème-l-été-à-paris"),
        ("Cafe\u0301 cre\u0300me", "2025-06-18-café-crème"),  # NFD in, NFC out
        ("भारत में कृत्रिम बुद्धिमत्ता", "2025-06-18-भारत-में-कृत्रिम-बुद्धिमत्ता"),
        ("인공지능의 미래", "2025-06-18-인공지능의-미래"),
        ("ＡＩの未来", "2025-06-18-aiの未来"),
        ('What? A "Deep" <Dive> | Part #1 [of 2] ^x *y* a\\b c/d', None),
        ("CON", "2025-06-18-con"),
        ("../../etc/passwd", "2025-06-18-etc-passwd"),
        ("  ...Leading and trailing dots...  ", "2025-06-18-leading-and-trailing-dots"),
    ],
)
def test_file_names_in_the_titles_own_script(title: str, stem: str | None) -> None:
    got = _named(title)
    if stem is None:
        stem = "2025-06-18-what-a-deep-dive-part-1-of-2-x-y-a-b-c-d"
    assert got == stem
    assert unicodedata.is_normalized("NFC", got)


@pytest.mark.parametrize("title", ["🎧🔥", "🇨🇳 🧠", "?!…///", "—", "", " ", "\u200f\u200e"])
def test_a_title_of_no_letters_or_digits_gives_the_id(title: str) -> None:
    s = Summary(title=title, source=Source("text", None, "0" * 64, "utf-8"))
    assert file_stem(s, s.id) == f"undated-{s.id}"


@pytest.mark.parametrize(
    "name", ["CON", "con", "Nul.txt", "aux.md", "COM1", "com9.json", "LPT1.tar.gz", "prn"]
)
def test_windows_device_names_are_never_used(name: str) -> None:
    assert is_reserved(name)
    safe = portable(name, MAX_STEM_BYTES)
    assert not is_reserved(safe) and safe == "_" + name
    for stem in ("lpt9 .md", "COM¹", "conout$"):
        assert is_reserved(stem) and not is_reserved(portable(stem, MAX_STEM_BYTES))
    assert not is_reserved("console") and not is_reserved("com10") and not is_reserved("nul-x")


def test_a_long_title_is_cut_between_whole_characters() -> None:
    from wcwidth import iter_graphemes

    for title in [
        "word " * 100,
        "中" * 300,
        "𠀀" * 100,  # four bytes each
        "क्षत्रिय" * 40,  # conjuncts: a virama never ends the name
        "e\u0301\u0302\u0303" * 100,  # letters with stacked accents
        "각" * 10 + "\u1100\u1161\u11a8" * 100,  # Hangul syllables spelt in jamo
    ]:
        stem = _named(title)
        assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
        kept = stem.removeprefix("2025-06-18-")
        clusters = list(iter_graphemes(hyphenated(title)))
        got = list(iter_graphemes(kept))
        assert got and got == clusters[: len(got)], title  # whole clusters only
        # As many as fit in 60 characters and the bytes left after the date.
        fit = 0
        while fit < 60 and len("".join(clusters[: fit + 1]).encode()) <= 200 - 11:
            fit += 1
        assert kept == "".join(clusters[:fit]).rstrip("-")
    zalgo = "Z" + "\u0301" * 300 + "algo"
    assert len(_named(zalgo).encode()) <= MAX_STEM_BYTES


FORBIDDEN = set('/\\:*?"<>|#^[]')


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(HOSTILE, st.text(st.characters(codec="utf-8"), max_size=400)),
    st.sampled_from([None, "2025-06-18"]),
)
def test_any_title_gives_a_name_every_os_and_obsidian_accept(title: str, published: str) -> None:
    stem = _named(title, published)
    assert stem and len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert not FORBIDDEN & set(stem)
    assert not any(unicodedata.category(c)[0] in "CZ" for c in stem)  # no control, blank
    assert stem[0] not in ". " and stem[-1] not in ". " and not is_reserved(stem)
    assert unicodedata.is_normalized("NFC", stem)
    # the words get the bytes the date prefix leaves, as in ``file_stem``
    prefix = f"{published or 'undated'}-"
    words = slug(title, MAX_STEM_BYTES - len(prefix.encode("utf-8")))
    assert stem.endswith(words) if words else re.search(r"-[0-9a-f]{16}$", stem)


def test_names_cut_whole_clusters_only() -> None:
    assert cut("ab-cd", 3, 100) == "ab"  # never a hyphen at the end
    assert cut("e\u0301e\u0301", 1, 100) == "e\u0301"
    assert cut("中中", 5, 5) == "中"


def test_export_writes_names_in_every_script_and_keeps_collisions_apart(
    tmp_path: Path,
) -> None:
    """Real files on a real file system, through the CLI; two summaries with one title
    get ``-2``."""
    seed = SEED.read_text(encoding="utf-8")
    old = "China Open-Source, Compute Arms Race, Reordering Global Trade"
    titles = [
        "人工智能如何改变编程",
        "東京の夜：ジャズ喫茶の物語",
        "الذكاء الاصطناعي والتعليم",
        "Café Crème à Paris",
        "🎧🔥",
        "NUL",
        "x" * 90,
    ]
    for n, title in enumerate(titles):
        page = seed.replace(old, title).replace("China is rapidly", f"Case {n}: China is")
        assert run_cli("ingest", "-", stdin=page.encode("utf-8")).returncode == 0
    # The same title from another show: another summary, so another note of that name.
    twin = seed.replace(old, titles[0]).replace("China is rapidly", "Another take: China is")
    twin = twin.replace("| BG2 w/ Bill Gurley and Brad Gerstner", "| Another Show", 1)
    assert run_cli("ingest", "-", stdin=twin.encode("utf-8")).returncode == 0
    out = tmp_path / "notes"
    proc = run_cli("export", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir() if p.suffix == ".md")
    assert len(names) == len(titles) + 1
    assert "2025-07-31-人工智能如何改变编程.md" in names
    assert "2025-07-31-人工智能如何改变编程-2.md" in names
    assert "2025-07-31-東京の夜-ジャズ喫茶の物語.md" in names
    assert "2025-07-31-الذكاء-الاصطناعي-والتعليم.md" in names
    assert "2025-07-31-café-crème-à-paris.md" in names
    assert "2025-07-31-nul.md" in names
    assert "2025-07-31-" + "x" * 60 + ".md" in names
    assert sum(bool(re.fullmatch(r"2025-07-31-[0-9a-f]{16}\.md", n)) for n in names) == 1
    for name in names:
        note = (out / name).read_text(encoding="utf-8")
        assert podsum.parse(note).title in titles  # every note reads back


# --- the README's samples ------------------------------------------------------------------


def _readme_commands() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(
        r"^\$ (podsum show \S+ --format md \| head -\d+)\n(.*?)^```", text, re.M | re.S
    )
    assert len(found) == 2
    return found


@pytest.mark.parametrize(("command", "expected"), _readme_commands())
def test_readme_front_matter_samples_are_what_podsum_prints(command: str, expected: str) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(
        ["bash", "-c", command], capture_output=True, env=env, cwd=ROOT, timeout=60
    )
    assert proc.stdout.decode("utf-8") == expected


def test_people_keep_their_roles_without_nulls() -> None:
    s = _cleaned(people=[{"name": "Ann", "role": None, "about": None}])
    assert s.people == [Person("Ann")]
    fm = _front(podsum.render(s, "md"))
    assert fm["people"] == [{"name": "Ann"}]
