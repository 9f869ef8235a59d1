"""Segmentation: offsets map back exactly, and the layouts scrapers produce are split sensibly."""

from __future__ import annotations

from filter.config import DEFAULT_CONFIG
from filter.segment import html_to_text, looks_like_html, segment


def _texts(text: str) -> list[str]:
    return [p.text for p in segment(text)]


def _assert_offsets(text: str) -> None:
    for i, p in enumerate(segment(text)):
        assert text[p.start : p.end] == p.text
        assert p.index == i
        assert p.text.strip()


def test_blank_line_paragraphs() -> None:
    text = "First paragraph here.\n\nSecond one.\n\n\nThird."
    assert _texts(text) == ["First paragraph here.", "Second one.", "Third."]
    _assert_offsets(text)


def test_one_block_per_line_menu() -> None:
    text = "Home\nNews\nSport\nWeather\n\nThe mayor said on Monday that the bridge would reopen."
    assert _texts(text) == [
        "Home",
        "News",
        "Sport",
        "Weather",
        "The mayor said on Monday that the bridge would reopen.",
    ]


def test_crlf_nbsp_zero_width() -> None:
    text = "\ufeffHeadline here\r\n\r\n\u00a0 Body text\u200b that matters.\u00a0\r\n\u200b\r\nLast line."
    assert _texts(text) == ["Headline here", "Body text\u200b that matters.", "Last line."]
    _assert_offsets(text)


def test_hard_wrapped_prose_is_one_paragraph() -> None:
    text = (
        "The city council approved the budget on Tuesday after a long debate over\n"
        "funding for the new library, which opponents said would cost too much to\n"
        "run in its first five years of operation.\n\nNext paragraph."
    )
    paras = _texts(text)
    assert len(paras) == 2
    assert paras[0].startswith("The city council") and paras[0].endswith("operation.")
    _assert_offsets(text)


def test_soft_break_inside_sentence_is_joined() -> None:
    text = "Officials said the investigation into the fire at the warehouse\nwas continuing on Friday."
    assert len(_texts(text)) == 1


def test_very_long_line_is_kept_whole() -> None:
    line = "word " * 200_000
    paras = segment(line + "\n\nEnd.")
    assert len(paras) == 2 and paras[0].end - paras[0].start == len(line.rstrip())


def test_empty_and_whitespace_only() -> None:
    assert segment("") == []
    assert segment(" \n\u00a0\n\u200b\t\r\n") == []


def test_html_detected_and_rendered_to_blocks() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Page</title><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<p>Council approves &amp; funds the <b>new</b> library.</p><script>alert(1)</script>"
        "<ul><li>Related one</li><li>Related two</li></ul></body></html>"
    )
    assert looks_like_html(html)
    paras = segment(html)
    texts = [p.text for p in paras]
    assert "Council approves & funds the new library." in texts
    assert "Related one" in texts and "Related two" in texts
    assert not any("alert" in t or "color:red" in t for t in texts)
    for p in paras:  # offsets point into the source markup the block came from
        assert 0 <= p.start <= p.end <= len(html)
    body = next(p for p in paras if p.text.startswith("Council"))
    assert "Council approves" in html[body.start : body.end]


def test_text_mentioning_tags_is_not_html() -> None:
    text = "The bug was in the <p> handling of the parser, engineers said.\n\nA fix shipped on Monday."
    assert not looks_like_html(text)
    assert len(segment(text)) == 2


def test_html_detection_can_be_switched_off() -> None:
    html = "<html><body><p>One</p><p>Two</p></body></html>"
    assert len(segment(html, DEFAULT_CONFIG.with_options(detect_html=False))) == 1
    assert html_to_text(html) == "One\n\nTwo"
