"""Stage 2: paragraphs -> feature matrices.

What separates the four labels in text alone: the words and character n-grams themselves (hashed, so the
model needs no vocabulary file and stays small), shape (length, punctuation, digits, capitalisation),
reporting cues (quotes, attributions), call-to-action and link cues, the density of generic phrases that
marks filler, the paragraph's position, and its neighbourhood (a one-line item in a run of one-line items is
chrome; a short line between long reporting paragraphs usually is not).

The package holds the pieces; this module is the glue and the public face (``filter.features.extract`` etc.):

- :mod:`.words`: the word lists (``filter/lexicons/*.txt``) as cue lexicons,
- :mod:`.lexical`: vocabulary n-grams and their lookup,
- :mod:`.shape`: character statistics and the pattern/specifics columns,
- :mod:`.dense`: the named dense columns (per paragraph, position, neighbours, page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import hashgrams
from .dense import DENSE_NAMES, FEATURE_GROUPS, SHORT_WORDS, document_dense, self_matrix
from .lexical import GRAM_HEAD, Vocabulary, build_vocabulary, gram_rows, grams, lexicon_columns
from .shape import PATTERN_HEAD, char_stats, shape_columns
from .words import CUE_LEXICONS, IMPERATIVE_OPENERS, LEXICONS

__all__ = [
    "FeatureSet",
    "Vocabulary",
    "DENSE_NAMES",
    "FEATURE_GROUPS",
    "CUE_LEXICONS",
    "IMPERATIVE_OPENERS",
    "PATTERN_HEAD",
    "GRAM_HEAD",
    "SHORT_WORDS",
    "TEXT_CAP",
    "extract",
    "grams",
    "build_vocabulary",
]

#: Cap for shape statistics (a safety bound, far above real paragraphs).
TEXT_CAP = 20_000
_PREFIX_RE = re.compile(r"^\s*[A-Z][A-Za-z' ]{1,30}:\s")
_CLOCK_RE = re.compile(r"\d:\d\d")


@dataclass
class FeatureSet:
    """Features of a batch of documents; rows are all paragraphs of all documents, in order.

    The lexical part is kept as flat arrays (row ``r`` owns ``gram_ids[gram_offsets[r]:gram_offsets[r+1]]``,
    binary presence weighted so each row has unit L2 norm) rather than a scipy matrix, so that inference
    needs only numpy.
    """

    gram_ids: np.ndarray
    gram_offsets: np.ndarray
    gram_weights: np.ndarray
    dense: np.ndarray
    doc_offsets: np.ndarray  # doc i owns rows doc_offsets[i]:doc_offsets[i+1]
    #: Hashed character n-grams of each paragraph's opening and ending (whole short lines), or None when
    #: the model uses none (``char_bits=0``).
    chars: hashgrams.HashedRows | None = None

    @property
    def n_rows(self) -> int:
        return int(self.dense.shape[0])

    def sparse(self, n_features: int):
        """The lexical part as a CSR matrix (training only: imports scipy)."""
        import scipy.sparse as sp

        return sp.csr_matrix(
            (self.gram_weights, self.gram_ids, self.gram_offsets), shape=(self.n_rows, n_features)
        )


#: Marks a paragraph's first and last character for the character n-grams, so that "\x02sign" (a paragraph
#: that *opens* with "Sign") and "ow.\x03" (one that ends so) are features of their own: calls to action
#: and filler sit at openings and endings, and the same letters mid-sentence mean much less.
_OPEN, _CLOSE_MARK = "\x02", "\x03"


def extract(documents: Sequence[Sequence[str]], vocabulary: Vocabulary, *, char_bits: int = 0) -> FeatureSet:
    """Vectorise every paragraph of every document in one pass (batching is what makes ``*_many`` fast).

    Term weights are counts scaled by 1/sqrt(n-grams in the row), the L2 norm when all are distinct.
    ``char_bits > 0`` adds hashed character n-grams (``2**char_bits`` features) of each paragraph's
    opening and ending, or of the whole of a short line (:data:`filter.hashgrams.PARAGRAPH_SPANS`): that
    is where the cost pays, since long reporting paragraphs carry their cues at their edges.
    """
    flat = [text[:TEXT_CAP] for paragraphs in documents for text in paragraphs]
    n = len(flat)
    heads = [text[:GRAM_HEAD] for text in flat]
    gram_ids, rows = gram_rows(heads, vocabulary)
    counts = np.bincount(rows, minlength=n)
    gram_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    gram_weights = (1.0 / np.sqrt(np.maximum(counts, 1)))[rows].astype(np.float32)
    lex_col = lexicon_columns(vocabulary)[gram_ids] if len(gram_ids) else np.zeros(0, dtype=np.int64)
    hit = lex_col >= 0
    n_lex = len(LEXICONS)
    cues = np.bincount(rows[hit] * n_lex + lex_col[hit], minlength=n * n_lex).reshape(n, n_lex)
    prefix = np.zeros(n)
    clock = np.zeros(n)
    for r, head in enumerate(heads):
        if ":" in head:
            if ":" in head[:33] and _PREFIX_RE.match(head):
                prefix[r] = 1.0
            clock[r] = len(_CLOCK_RE.findall(head))
    sizes = np.fromiter((len(p) for p in documents), dtype=np.int64, count=len(documents))
    doc_of_row = np.repeat(np.arange(len(documents)), sizes)
    selfm = self_matrix(char_stats(flat), cues, prefix, clock, shape_columns(heads, doc_of_row))
    dense_parts = []
    doc_offsets = [0]
    n_rows = 0
    for paragraphs in documents:
        if paragraphs:
            dense_parts.append(document_dense(selfm[n_rows : n_rows + len(paragraphs)]))
        n_rows += len(paragraphs)
        doc_offsets.append(n_rows)
    dense = np.vstack(dense_parts) if dense_parts else np.zeros((0, len(DENSE_NAMES)))
    chars = None
    if char_bits:
        chars = hashgrams.char_ngrams(
            [_OPEN + t + _CLOSE_MARK for t in flat], bits=char_bits, spans=hashgrams.PARAGRAPH_SPANS
        )
    return FeatureSet(
        chars=chars,
        gram_ids=gram_ids.astype(np.int32),
        gram_offsets=gram_offsets,
        gram_weights=gram_weights,
        dense=dense,
        doc_offsets=np.asarray(doc_offsets, dtype=np.int64),
    )
