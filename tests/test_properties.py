"""Properties of cleaning that must hold for any input (hypothesis), on a tiny model trained in the test run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filter.segment import segment

_paragraph = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120)
_doc = st.lists(_paragraph, min_size=0, max_size=12).map("\n\n".join)
_any_text = st.one_of(_doc, st.text(max_size=400))

_settings = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@_settings
@given(text=_any_text)
def test_offsets_map_back_exactly(text: str) -> None:
    from filter.segment import looks_like_html

    html = looks_like_html(text)
    for p in segment(text):
        assert 0 <= p.start <= p.end <= len(text)
        if not html:  # plain text: the offsets give back the paragraph exactly, always
            assert text[p.start : p.end] == p.text


@_settings
@given(text=_any_text)
def test_clean_is_ordered_subsequence_and_deterministic(tiny_filter, text: str) -> None:  # type: ignore[no-untyped-def]
    paragraphs = tiny_filter.classify(text)
    doc = tiny_filter.analyse(text)
    # kept: the core paragraphs, except where the document policy applies (filter.verdict: a short input
    # rescued, a language the model was not trained on kept whole); analyse() says which were kept
    kept = [paragraphs[i] for i in doc.kept]
    if not doc.warnings:
        assert kept == [p for p in paragraphs if p.label is not None and p.label.value == "core"]
    cleaned = tiny_filter.clean(text)
    assert cleaned == doc.text == tiny_filter.config.joiner.join(p.text for p in kept)
    assert cleaned == tiny_filter.clean(text)  # deterministic
    plain = segment(text)
    # every kept paragraph is one of the input's paragraphs, in input order, unaltered
    positions = [(p.start, p.end) for p in plain]
    last = -1
    for p in kept:
        idx = positions.index((p.start, p.end))
        assert idx > last
        last = idx
        assert plain[idx].text == p.text
    for p in paragraphs:
        assert abs(sum(p.probabilities.values()) - 1.0) < 1e-6
