"""The library call, which reads as the pipeline: segment -> features -> model -> clean."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import cleaner, segment
from .config import DEFAULT_CONFIG, FALLBACK_MIN_CORE_PROBABILITY, FilterConfig
from .language import LanguageGuess, detect_language
from .model import ParagraphModel
from .store import (
    LEGACY_MODEL_FILE,
    WEIGHTS_FILE,
    card_threshold,
    default_model_dir,
    load_legacy_pickle,
    load_verified,
)
from .types import LABELS, Label, Paragraph
from .verdict import Document, DocumentDecision, decide_document, supported_languages

__all__ = ["ArticleFilter", "load_model", "clean", "classify", "analyse", "Document"]


class ArticleFilter:
    """A loaded model plus its configuration. Loading is the expensive part: keep one and reuse it.

    ``config.min_core_probability=None`` (the default) means the model's own keep threshold, the one
    recorded in its card; ``self.config`` always holds the resolved number, so callers can read it.
    """

    def __init__(
        self,
        model: ParagraphModel,
        card: dict[str, Any] | None = None,
        config: FilterConfig = DEFAULT_CONFIG,
        source: str = "",
    ) -> None:
        self.model = model
        self.card = card or {}
        self.config = _resolve_threshold(config, self.card)
        self.source = source

    def with_config(self, config: FilterConfig) -> ArticleFilter:
        return ArticleFilter(self.model, self.card, config, self.source)

    # ----------------------------------------------------------------------------------------- pipeline
    def _predict(
        self, texts: Sequence[str]
    ) -> tuple[list[list[tuple[str, int, int]]], np.ndarray, list[Label], np.ndarray]:
        """segment -> features -> model -> decide, for a whole batch; rows are all paragraphs in order."""
        cfg = self.config
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"expected str, got {type(t).__name__}: decode bytes first (see filter.io)")
        docs = [segment.segment_spans(t, cfg) for t in texts]
        fs = self.model.features(_windows([[p[0] for p in doc] for doc in docs], cfg.max_document_chars))
        proba = self.model.predict_proba_features(fs)
        return docs, proba, cleaner.decide(proba, cfg), fs.dense

    def classify_many(self, texts: Sequence[str], *, explain: bool = True) -> list[list[Paragraph]]:
        """Label every paragraph of every text, vectorising the whole batch at once."""
        docs, proba, labels, dense = self._predict(texts)
        # The clickbait score only means something for headline-shaped lines (teasers, related links):
        # NaN elsewhere becomes None (see filter.clickbait.is_headline_like).
        bait = _clickbait_scores([p[0] for doc in docs for p in doc]) if explain else None
        out: list[list[Paragraph]] = []
        row = 0
        for doc in docs:
            paragraphs = []
            for i, (text, start, end) in enumerate(doc):
                probs = {lab: float(proba[row, j]) for j, lab in enumerate(LABELS)}
                cues = (
                    self.model.explain(text, labels[row], dense[row], self.config.n_cues) if explain else ()
                )
                score = None if bait is None or np.isnan(bait[row]) else round(float(bait[row]), 4)
                paragraphs.append(Paragraph(text, start, end, i, labels[row], probs, cues, clickbait=score))
                row += 1
            out.append(paragraphs)
        return out

    def clean_many(self, texts: Sequence[str]) -> list[str]:
        """Cleaned text for each input: its kept paragraphs, exactly as they were, in order.

        The kept paragraphs are the core ones, except where the document policy of :mod:`filter.verdict`
        applies (unsupported language, short inputs); :meth:`analyse_many` gives the same text with the reasons.
        """
        docs, proba, labels, _ = self._predict(texts)
        out = []
        row = 0
        joiner = self.config.joiner
        for doc in docs:
            n = len(doc)
            paras = [p[0] for p in doc]
            decision = self._decide(paras, proba[row : row + n], labels[row : row + n])[1]
            out.append(joiner.join(paras[i] for i in decision.kept))
            row += n
        return out

    def analyse_many(self, texts: Sequence[str], *, explain: bool = True) -> list[Document]:
        """The verdict on each text: labelled paragraphs (as ``classify_many``), the cleaned text (as
        ``clean_many``), the language, an article score and warnings (see :mod:`filter.verdict`)."""
        out = []
        joiner = self.config.joiner
        for paragraphs in self.classify_many(texts, explain=explain):
            paras = [p.text for p in paragraphs]
            proba = np.array([[p.probabilities[lab] for lab in LABELS] for p in paragraphs], dtype=np.float64)
            proba = proba.reshape(len(paragraphs), len(LABELS))
            labels = [p.label or Label.BOILERPLATE for p in paragraphs]
            guess, decision = self._decide(paras, proba, labels)
            out.append(
                Document(
                    paragraphs=tuple(paragraphs),
                    text=joiner.join(paras[i] for i in decision.kept),
                    language=guess.code,
                    language_confidence=guess.confidence,
                    article_score=decision.article_score,
                    warnings=decision.warnings,
                    kept=decision.kept,
                    language_method=guess.method,
                )
            )
        return out

    def analyse(self, text: str, *, explain: bool = True) -> Document:
        return self.analyse_many([text], explain=explain)[0]

    @property
    def supported_languages(self) -> tuple[str, ...]:
        """Languages this model handles (config override, else the card's ``languages``, else English)."""
        return supported_languages(self.card, self.config)

    def _decide(
        self, paras: list[str], proba: np.ndarray, labels: Sequence[Label]
    ) -> tuple[LanguageGuess, DocumentDecision]:
        cfg = self.config
        guess = detect_language(
            paras, sample_chars=cfg.language_sample_chars, min_confidence=cfg.language_min_confidence
        )
        return guess, decide_document(paras, proba, labels, guess, self.supported_languages, cfg)

    def classify(self, text: str) -> list[Paragraph]:
        return self.classify_many([text])[0]

    def clean(self, text: str) -> str:
        return self.clean_many([text])[0]


@lru_cache(maxsize=1)
def _clickbait_model() -> Any:
    """The shipped clickbait scorer (a plain-array file, no pickle), loaded once; None if it is missing."""
    from . import clickbait

    try:
        return clickbait.load_default()
    except (OSError, ValueError):
        return None


def _clickbait_scores(texts: list[str]) -> np.ndarray | None:
    model = _clickbait_model()
    return None if model is None or not texts else model.score_lines(texts)


def _windows(docs: list[list[str]], max_chars: int) -> list[list[str]]:
    """Split enormous documents into paragraph-aligned windows (rows stay in order), bounding memory."""
    pieces: list[list[str]] = []
    for doc in docs:
        cur: list[str] = []
        size = 0
        for text in doc:
            if cur and size + len(text) > max_chars:
                pieces.append(cur)
                cur, size = [], 0
            cur.append(text)
            size += len(text)
        pieces.append(cur)
    return pieces


def load_model(
    path: str | Path | None = None,
    *,
    registry: str | Path | None = None,
    config: FilterConfig | None = None,
    allow_pickle: bool = False,
) -> ArticleFilter:
    """Load a verified model: ``path`` (a model directory), a registry's current model, or the shipped default.

    Every route checks each model file's SHA-256 against its card and reads only arrays and JSON (see
    :mod:`filter.store`); nothing is unpickled. ``config`` replaces the options, but a ``None`` keep
    threshold in it still means the model's tuned one.

    ``allow_pickle=True`` also accepts a directory in the old pickle format (``model.joblib``), with a
    :class:`~filter.store.PickleWarning`: **unpickling runs any code in the file**, so pass it only for a
    model you trust, and convert it once (``article-filter models convert OLD NEW``) rather than keep it.
    """
    if path is not None and registry is not None:
        raise ValueError("give a model path or a registry, not both")
    if registry is not None:
        from .registry_view import RegistryView

        model_dir = RegistryView(registry).current_dir()
    elif path is not None:
        model_dir = Path(path)
    else:
        default = _default_filter()
        return default if config is None else default.with_config(config)
    if allow_pickle and not (model_dir / WEIGHTS_FILE).exists() and (model_dir / LEGACY_MODEL_FILE).exists():
        model, card = load_legacy_pickle(model_dir)
    else:
        model, card = load_verified(model_dir)
    return ArticleFilter(model, card, config or DEFAULT_CONFIG, str(model_dir))


def _resolve_threshold(config: FilterConfig, card: dict[str, Any]) -> FilterConfig:
    """A config whose keep threshold is a number: the caller's, else the card's, else the fallback.

    The card's value was chosen on held-out data for this very model (``training.choose_threshold``).
    """
    if config.min_core_probability is not None:
        return config
    tuned = card_threshold(card)
    return config.with_options(min_core_probability=FALLBACK_MIN_CORE_PROBABILITY if tuned is None else tuned)


@lru_cache(maxsize=1)
def _default_filter() -> ArticleFilter:
    d = default_model_dir()
    model, card = load_verified(d)
    return ArticleFilter(model, card, DEFAULT_CONFIG, str(d))


def clean(text: str, config: FilterConfig | None = None) -> str:
    """Cleaned text of one article with the shipped default model (loaded once per process)."""
    return load_model(config=config).clean(text)


def classify(text: str, config: FilterConfig | None = None) -> list[Paragraph]:
    """Labelled paragraphs of one article with the shipped default model."""
    return load_model(config=config).classify(text)


def analyse(text: str, config: FilterConfig | None = None) -> Document:
    """The verdict on one article with the shipped default model: paragraphs, cleaned text, language, article
    score and warnings (see :class:`filter.verdict.Document`)."""
    return load_model(config=config).analyse(text)
