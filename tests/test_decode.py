"""Bytes to text: the encoding a file is in, never a code page that merely fits."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SEED, record_of
from podsum.decode import decode_bytes

# Western text with a few accented letters and curly quotes, as windows-1252 bytes.
# charset-normalizer calls several of these cp775 (Baltic), cp1250, mac-latin2 or Big5.
WESTERN = [
    "Café Society’s",
    "Inside the Café Society’s long night",
    "the “quoted” The Café déjà vu naïve words",
    "here episode the and déjà vu “quoted” words Müller Müller",
    "Zoë résumé façade the Müller résumé naïve episode Müller",
    "podcast podcast Ångström",
    "Ærøskøbing og Øresund — Straße, Größe… « guillemets »",
    "A €0.20 price rise, “loyalty” discounts and Señor Peña’s café",
]


@pytest.mark.parametrize("text", WESTERN)
def test_western_windows_1252_is_never_a_dos_or_baltic_page(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == (text, "windows-1252")


def test_a_windows_1252_atmes_page_reads_right() -> None:
    page = (
        "Inside the Café Society’s Long Night | Field Notes Radio\n"
        "| Podcasts | July 31, 2025 | 980 views | 45:01\n"
        "TL;DR\n"
        "The Café Society’s founders talk about “small rooms” and late licences.\n"
    )
    r = record_of(page.encode("cp1252"))
    assert r["title"] == "Inside the Café Society’s Long Night"
    assert r["tldr"] == "The Café Society’s founders talk about “small rooms” and late licences."
    assert r["source"]["encoding"] == "windows-1252"


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        (
            "Съешь же ещё этих мягких французских булок, да выпей чаю. Привет, мир.",
            "cp1251",
            "cp1251",
        ),
        ("Съешь же ещё этих мягких французских булок, да выпей чаю.", "koi8_r", "koi8-r"),
        (
            "Η ομάδα συζητά την τεχνητή νοημοσύνη και το μέλλον της εργασίας στην Ευρώπη. "
            "Οι καλεσμένοι εξηγούν γιατί τα ανοιχτά μοντέλα κερδίζουν έδαφος.",
            "cp1253",
            "cp1253",
        ),
        ("שלום עולם, זהו משפט ארוך בעברית כדי לבדוק זיהוי קידוד.", "cp1255", "cp1255"),
        (
            "مرحبا بالعالم، هذه جملة طويلة باللغة العربية لاختبار اكتشاف الترميز.",
            "cp1256",
            "cp1256",
        ),
        ("人工智能如何改变编程，这是一个很长的中文句子，用来测试编码检测。", "gb18030", "gb18030"),
        ("人工智能如何改變編程，這是一個很長的中文句子，用來測試編碼檢測。", "big5", "big5"),
    ],
)
def test_non_latin_code_pages_are_still_recognised(text: str, codec: str, name: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, name)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (
            "日本語のテキスト、カタカナとひらがなを含む長い文章です。検出をテストします。",
            "shift_jis",
        ),
        ("한국어 텍스트를 사용하여 인코딩 감지를 테스트하는 긴 문장입니다.", "euc_kr"),
    ],
)
def test_cjk_multibyte_text_decodes(text: str, codec: str) -> None:
    """The detector may name a superset (cp932 for Shift_JIS, cp949 for EUC-KR)."""
    decoded, name = decode_bytes(text.encode(codec))
    assert decoded == text
    assert name != "windows-1252"


def _utf8_page_with(stray: bytes) -> bytes:
    return (
        (
            "Fjords and Frost | North Talk\n"
            "| Podcasts | March 3, 2025 | 980 views | 45:01\n"
            "TL;DR\n"
            "Norway 🇳🇴 and China 🇨🇳 race to electrify ferries.\n"
            "🇳🇴 Norway Goes Electric 1 insight\n"
            "Ferries first\n"
        ).encode()
        + b"The Caf"
        + stray
        + b" on the quay sells tickets.\n"
    )


@pytest.mark.parametrize(("stray", "char"), [(b"\xe9", "é"), (b"\x92", "’"), (b"\xa0", "\xa0")])
def test_one_stray_byte_does_not_recode_a_utf8_page(stray: bytes, char: str) -> None:
    text, encoding = decode_bytes(_utf8_page_with(stray))
    assert encoding == "utf-8"
    assert "Norway 🇳🇴 and China 🇨🇳 race" in text
    assert f"The Caf{char} on the quay" in text


def test_a_stray_byte_page_parses_with_its_flags() -> None:
    r = record_of(_utf8_page_with(b"\xe9"))
    assert r["sections"][0]["emoji"] == "🇳🇴"
    assert r["sections"][0]["insights"][0]["text"] == "The Café on the quay sells tickets."
    assert r["source"]["encoding"] == "utf-8"
    assert r["warnings"] == []


def test_a_stray_byte_windows_1252_leaves_unassigned_is_removed_with_a_warning() -> None:
    r = record_of(_utf8_page_with(b"\x81"))
    assert r["sections"][0]["insights"][0]["text"] == "The Caf on the quay sells tickets."
    assert [w["code"] for w in r["warnings"]] == ["control-chars-removed"]


def test_many_stray_bytes_mean_the_file_is_not_utf8() -> None:
    """One valid-looking pair ("Ã©") among windows-1252 accents does not make UTF-8."""
    text = "Ã© and then café, naïve, “quoted” and Müller"
    assert decode_bytes(text.encode("cp1252")) == (text, "windows-1252")


def test_the_seed_and_a_bom_still_win() -> None:
    assert decode_bytes(SEED.read_bytes())[1] == "utf-8"
    data = "Café Society’s".encode("utf-16")
    assert decode_bytes(data) == ("Café Society’s", "utf-16-le")
    for label in ("iso-8859-1", "latin1", "US-ASCII", "windows-1252"):
        assert decode_bytes("Café’s".encode("cp1252"), label) == ("Café’s", "windows-1252")


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_western_and_stray_byte_pages_never_load_the_detector() -> None:
    western = "Café Society’s Night | Field Notes\n| Podcasts | July 31, 2025 | 9 views | 45:01\n"
    stray = _utf8_page_with(b"\xe9")
    loaded = _loaded_after(
        f"import podsum\npodsum.parse({western.encode('cp1252')!r})\npodsum.parse({stray!r})"
    )
    assert "charset_normalizer" not in loaded


def test_non_latin_bytes_do_go_to_the_detector() -> None:
    cyrillic = "Съешь же ещё этих мягких французских булок, да выпей чаю.".encode("cp1251")
    loaded = _loaded_after(f"from podsum.decode import decode_bytes\ndecode_bytes({cyrillic!r})")
    assert "charset_normalizer" in loaded
