"""Mojibake repair restores what the author wrote and leaves correct text alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podsum.decode import decode_windows_1252
from podsum.repair import fix_mojibake, strip_controls, strip_escapes

CORRECT = [
    "It’s “quoted” — and ‘single’ too",
    'Don\'t use straight quotes? Fine: "ok"',
    "Café, naïve, résumé, façade, Ångström",
    "Ærøskøbing og Øresund",
    "Straße, Größe, Füße",
    "Zażółć gęślą jaźń",
    "Příliš žluťoučký kůň",
    "Árvíztűrő tükörfúrógép",
    "İstanbul’da ağaç",
    "Ça va? Où est l’hôtel?",
    "¿Qué tal? ¡Muy bien!",
    "Καλημέρα κόσμε",
    "Η Ελλάδα και η Κύπρος",
    "ΑΒΓΔ αβγδ ΈΉΊΌ",
    "π ≈ 3.14159 and Σ x²",
    "Привет, мир",
    "Съешь же ещё этих мягких французских булок",
    "Україна — Київ",
    "שלום עולם",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "你好，世界",
    "人工智能如何改变编程",
    "日本語のテキスト、カタカナとひらがな",
    "ＦＵＬＬＷＩＤＴＨ text stays",
    "한국어 텍스트",
    "Tiếng Việt có dấu",
    "ქართული ენა",
    "Հայերեն",
    "🇨🇳 China and 🇺🇸 US",
    "🧠 Reasoning",
    "👩🏽\u200d💻 developer",
    "🏳️\u200d🌈 flag",
    "❤️ and ♥ and ☕",
    "#️⃣ keycap",
    "👍🏿👍🏻 skin tones",
    "5 € and £3 and ¥100",
    "© 2025 ® ™",
    "1/2 ½ ¼ ¾",
    "° degrees ± tolerance × times ÷ divide",
    "• bullet · middle dot … ellipsis",
    "→ arrow ← ⇒",
    "ﬁ ligature stays",
    # A capital Â or Ã standing alone before a space is read as mojibake of "Â\xa0"
    # (ftfy's restore_byte_a0); inside words they are left alone.
    "Âmbito e PÂTÉ",
    "São Paulo e João",
    "À la carte",
    "Ñandú",
    "Œuvre and œuvre",
    "Šárka and Žofie",
    "Ÿ in L’HAŸ-LES-ROSES",
    "µ micro and ß",
    "Ellipsis…and em—dash",
    "plain ASCII line",
    "",
    "ΞΕΝΟΔΟΧΕΙΟ",
    "Οι άνθρωποι",
    "β-blockers and α-particles",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_left_alone(text: str) -> None:
    assert fix_mojibake(text) == text


def test_at_least_fifty_scripts_and_styles() -> None:
    assert len(CORRECT) >= 50


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("πŸ‡¨πŸ‡³ China", "🇨🇳 China"),  # the seed: windows-1253 with a 1252 fallback
        ("πŸ‡ΊπŸ‡Έ US", "🇺🇸 US"),
        ("donâ€™t", "don’t"),
        ("ðŸš€ Launch", "🚀 Launch"),
        ("CafÃ©", "Café"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("naÃ¯ve rÃ©sumÃ©", "naïve résumé"),
        (decode_windows_1252("Καλημέρα".encode()), "Καλημέρα"),
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert fix_mojibake(broken) == fixed


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_repair_is_idempotent(text: str) -> None:
    once = fix_mojibake(text)
    assert fix_mojibake(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P", "So"])))
def test_encoded_then_misread_text_comes_back(text: str) -> None:
    """UTF-8 read as windows-1252 is undone, for any text of letters and symbols."""
    try:
        broken = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return  # bytes windows-1252 leaves undefined: not this kind of mojibake
    if broken == text:
        return
    assert fix_mojibake(fix_mojibake(text)) == fix_mojibake(text)


def test_escape_sequences_are_removed_whole() -> None:
    text = "\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b]52;c;Zm9v\x07 \x9b2J"
    cleaned, found = strip_escapes(text)
    assert found
    cleaned, found = strip_controls(cleaned)  # the 8-bit forms go with the C1 controls
    assert found
    assert cleaned == "red link  "


def test_a_stray_escape_does_not_eat_the_next_lines() -> None:
    cleaned, _ = strip_escapes("title \x1b]8;;unterminated\nsecond line\nthird")
    assert cleaned == "title \nsecond line\nthird"


def test_c1_bytes_inside_mojibake_are_repaired_not_stripped() -> None:
    """0x9D is part of "”" (E2 80 9D); read as windows-1252 it becomes U+009D, the 8-bit
    OSC introducer. Mojibake repair must see it before escape stripping does."""
    page = "Title | Show\n| Podcasts | July 31, 2025 | 5 views | 1:00\nTL;DR\n"
    page += decode_windows_1252("He said “hi” and left.".encode())
    import podsum

    assert podsum.parse(page).tldr == "He said “hi” and left."


def test_controls_and_bidi_are_removed() -> None:
    cleaned, found = strip_controls("a\x00b\x07c\x85d\u202ee\u2066f\ufeffg\th\ni")
    assert found
    assert cleaned == "abcdef" + "g\th\ni"
