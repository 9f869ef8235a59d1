"""Stage 3: features -> label probabilities, with a context pass that makes neighbours consistent.

Pass 1 is a linear model (scikit-learn SGD, logistic loss) over word/punctuation n-grams and scaled
hand-made features: fast, small, and good at the lexical cues. Pass 2 is a small scikit-learn perceptron
(one hidden layer) that sees pass 1's probabilities for the paragraph and its neighbours (+-3), the page's mean
probabilities and the hand-made features, so a lone short line among long reporting paragraphs, or a
headline in a run of headlines, is judged in context. Pass 2 is trained on *out-of-fold* pass-1
probabilities (grouped by site/article), otherwise it would learn to trust pass 1's over-confident scores
on its own training data.

Both passes are trained with scikit-learn and then *compiled* to plain numpy arrays (coefficients and
weights). Prediction needs only numpy: importing scikit-learn costs ~2 s (it pulls in pandas and
scipy.stats), more than the whole one-article CLI budget of 1 s. A test checks that the compiled prediction
equals scikit-learn's own to 1e-9.

The model owns its whole interface: feature extraction (:meth:`ParagraphModel.features`), prediction
(:meth:`ParagraphModel.predict_proba`), explanation (:meth:`ParagraphModel.explain`) and persistence. What is
saved is *declared* on the class (``ARRAYS``, ``JSON``, ``VOCABULARIES``, ``COMPONENTS``, see
:mod:`filter.persist`), so a new array attribute is one line there; :mod:`filter.store` writes the arrays to
``weights.npz`` and the rest to ``model.json`` and never pickles anything. :data:`MODEL_TYPES` maps the
``model_type`` recorded in ``model.json`` to the class that reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

import numpy as np

from . import cues, features, hashgrams
from .calibration import calibrated, calibration_rows, fit_calibration
from .context import (
    CONTEXT_OFFSETS,
    MISSING_COLS,
    N_LABELS,
    Perceptron,
    context_matrix,
    expit,
    ovr_proba,
)
from .features import DENSE_NAMES, FeatureSet, Vocabulary, build_vocabulary
from .persist import (
    ArrayAttr,
    Component,
    JsonAttr,
    ModelIntegrityError,
    Persistent,
    VocabAttr,
    is_json_object,
    is_str_list,
)
from .types import LABELS, Label

__all__ = ["ParagraphModel", "ModelParams", "MODEL_TYPES", "CONTEXT_OFFSETS", "one_native_thread"]

#: Old pickled ``model.joblib`` files (:func:`filter.store.load_legacy_pickle`) name the class here.
_Perceptron = Perceptron


@dataclass(frozen=True)
class ModelParams:
    """Training parameters, recorded in the model card."""

    seed: int = 0
    #: L2 strength of pass 1: a common SGD default range is 1e-6..1e-4; 5e-6 was picked by judgement for a
    #: 150k-feature vocabulary and not tuned (a sweep is future work).
    alpha: float = 5e-6
    epochs: int = 10
    #: Out-of-fold passes for pass-2 training data. 2 folds cost one extra full fit; 3 cost two.
    folds: int = 2
    #: Pass 2 is a one-hidden-layer perceptron. A gradient-boosted ensemble (80 rounds x 4 classes) was
    #: as accurate but cost ~50 us per paragraph in numpy, half of all cleaning time; the perceptron is two
    #: small matrix products (measured: cleaning throughput rose from 0.7 to 1.5 MB/s). 64 hidden units
    #: for ~90 inputs is a judgement call, not tuned.
    hidden: int = 64
    #: Pass-2 perceptrons fitted with different initialisations and merged into one wider perceptron
    #: (mean of their logits, :meth:`filter.context.Perceptron.merge`): one perceptron's seed moved promotion
    #: / filler / hard-negative rates on the independent set by 2-8 points (README, "Run-to-run
    #: variance"); the merge keeps the file format and costs k small matrix products instead of one
    #: (measured: both passes 0.177 -> 0.200 s for 21,329 paragraphs, about 2% of cleaning time).
    mlp_members: int = 3
    mlp_epochs: int = 40
    mlp_alpha: float = 1e-4
    #: Pass 2 sees at most this many paragraphs (a random sample) to bound training time and memory; the
    #: full training split has ~420k. Not tuned: a judgement that 200k rows suffice for ~90 inputs.
    context_max_rows: int = 200_000
    #: Vocabulary size for pass 1 (see features.build_vocabulary).
    max_features: int = 150_000
    #: Hashed character n-grams for pass 1: 2**char_bits features (0 = none). 2**18 keeps collisions
    #: rare for the ~100k distinct 2-5-grams of paragraph openings/endings and costs 4 MB of float32
    #: weights per model.
    char_bits: int = 18
    #: Converter renderings of each HTML page used for training (0 = all); see training.thin_renderings.
    renderings_per_page: int = 1
    #: What is inserted into real clean articles (see training.train.build_training_documents and
    #: filter.training.augment),
    #: "+"-joined: library (training_data/lines), generator (non-core paragraphs of the project generator's
    #: documents), real (generated-news endings and mined promotion lines from the corpora), headlines (real
    #: headlines as teaser lines); "none" for no augmentation. Each earns its place in the ablation table.
    augment: str = "library+generator+real+headlines"
    #: Insertion copies of each clean host article (different lines and positions each); rendered pages
    #: get one. With 1 copy, line-library lines *seen in training* were only ~52% (promotion) removed,
    #: drowned by 86k rule-labelled promotion rows of rendered pages. Measured on the independent set at
    #: the card threshold (promotion / filler removed, core kept): 1 copy 0.47 / 0.32 / 0.98; 3 copies
    #: (and pass 2 weighted) 0.74 / 0.66 / 0.99; 5 copies (+ hard negatives in most copies, 8 epochs)
    #: 0.79 / 0.84 / 0.99; 8 copies and 10 epochs: see the README's benchmark.
    augment_copies: int = 8
    #: How many times each hand-written library line is dealt per template line (see augment.HAND_SOURCE).
    #: 3, not 1, from two seeds on the independent set (README, "2026-12-02" table): promotion removed
    #: 0.93 / 0.87 at 0.35 against 0.77 for one copy (seed 0); not tuned further.
    hand_line_copies: int = 3
    #: Real headlines sampled as teaser lines (of ~32,000); more made teasers a large share of promotion.
    max_headlines: int = 8000
    #: Keep whole project-generator documents in training (not only their lines).
    project_documents: bool = True
    #: Dense feature columns held at zero (for ablations; see FEATURE_GROUPS). Empty for shipped models.
    disabled_features: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # JSON gives a list back; a tuple keeps params hashable-looking and equal across a save/load.
        object.__setattr__(self, "disabled_features", tuple(self.disabled_features))


def one_native_thread() -> Any:
    """Run OpenMP/BLAS code on one thread (a context manager).

    On a loaded 2-core machine OpenMP's spinning threads made gradient-boosting ~100x slower (64 s vs
    0.6 s to predict 15 rows, measured while other jobs ran); batch cleaning parallelises over processes
    instead, and training time stays bounded and deterministic.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _is_params(value: Any) -> bool:
    return is_json_object(value)


def _is_small_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24


def _is_unit_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 <= value <= 1.0


def _is_positive_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0.05 <= value <= 20.0


def _decode_params(value: dict[str, Any]) -> ModelParams:
    return ModelParams(**value)  # unknown names raise TypeError, reported as a malformed model.json


class ParagraphModel(Persistent):
    """The two-pass paragraph classifier. Probability columns follow :data:`filter.types.LABELS`."""

    #: Recorded in ``model.json``; :data:`MODEL_TYPES` maps it back to this class.
    MODEL_TYPE: ClassVar[str] = "paragraph-two-pass"
    #: Bump when the declared attributes change so that old files are refused with a clear message
    #: ("format version 1, this code reads 2: retrain or convert") instead of a missing-array error.
    FORMAT_VERSION: ClassVar[int] = 2  # 2: hashed character n-grams (char_bits, char_coef, hash_version)

    # What is saved, one line per attribute (see filter.persist). Dimension names tie shapes together:
    # "vocab" = vocabulary terms, "features" = dense feature names, "scores" = pass-1 score columns.
    ARRAYS = (
        ArrayAttr("dense_mean", "float64", ("features",)),
        ArrayAttr("dense_scale", "float64", ("features",)),
        ArrayAttr("gram_coef", "float32", ("vocab", "scores")),
        ArrayAttr("dense_coef", "float64", ("features", "scores")),
        ArrayAttr("intercept", "float64", ("scores",)),
        ArrayAttr("stage1_classes", "int64", ("stage1_classes",)),
        ArrayAttr("char_coef", "float32", ("char_features", "scores")),
    )
    JSON = (
        JsonAttr("params", _is_params, "an object of training parameters", asdict, _decode_params),
        JsonAttr("char_bits", _is_small_int, "an integer number of hash bits (0-24)"),
        JsonAttr("own_weight", _is_unit_float, "a number in [0, 1]"),
        JsonAttr("temperature", _is_positive_float, "a positive number"),
        JsonAttr("hash_version", _is_small_int, "the version of filter.hashgrams the model was built with"),
        JsonAttr("feature_names", is_str_list, "a list of feature names", dim="features"),
        JsonAttr("labels", is_str_list, "a list of label names"),
    )
    VOCABULARIES = (VocabAttr("vocabulary", dim="vocab"),)
    COMPONENTS = (Component("context", Perceptron),)

    def __init__(self, params: ModelParams | None = None) -> None:
        self.params = params or ModelParams()
        self.vocabulary: Vocabulary = {}
        self.feature_names = list(DENSE_NAMES)
        self.labels = [lab.value for lab in LABELS]
        self.dense_mean = np.zeros(len(DENSE_NAMES))
        self.dense_scale = np.ones(len(DENSE_NAMES))
        self.gram_coef = np.zeros((0, N_LABELS), dtype=np.float32)  # (n_grams, labels)
        self.char_bits = 0
        #: Final probabilities: softmax(((1 - w) * log p2 + w * log p1) / T), with w = ``own_weight`` and
        #: T = ``temperature`` fitted on held-out calibration rows (see :func:`filter.calibration.fit_calibration`).
        self.own_weight = 0.0
        self.temperature = 1.0
        self.hash_version = hashgrams.HASH_VERSION
        self.char_coef = np.zeros((0, N_LABELS), dtype=np.float32)  # (2**char_bits, labels)
        self.dense_coef = np.zeros((len(DENSE_NAMES), N_LABELS))
        self.intercept = np.zeros(N_LABELS)
        self.stage1_classes = np.arange(N_LABELS)
        self.context: Perceptron | None = None

    # ----------------------------------------------------------------------------------------- training
    def fit(
        self,
        paragraphs_by_doc: Any,
        y: np.ndarray,
        groups: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> ParagraphModel:
        """Fit both passes on documents (lists of paragraph texts); ``y`` holds indices into LABELS."""
        from sklearn.model_selection import GroupKFold
        from sklearn.neural_network import MLPClassifier

        self.vocabulary = build_vocabulary(
            (p for doc in paragraphs_by_doc for p in doc), max_features=self.params.max_features
        )
        self.char_bits = self.params.char_bits
        fs = self.features(paragraphs_by_doc)
        y = np.asarray(y)
        dense = np.nan_to_num(fs.dense, nan=0.0)
        self.dense_mean = dense.mean(axis=0)
        scale = dense.std(axis=0)
        self.dense_scale = np.where(scale > 1e-12, scale, 1.0)
        X1 = self.stage1_matrix(fs)
        oof = np.zeros((X1.shape[0], N_LABELS))
        folds = min(self.params.folds, len(np.unique(groups)))
        with one_native_thread():
            if folds >= 2:
                for train_idx, test_idx in GroupKFold(n_splits=folds).split(X1, y, groups):
                    clf = self._fit_stage1(
                        X1[train_idx],
                        y[train_idx],
                        None if sample_weight is None else sample_weight[train_idx],
                    )
                    oof[test_idx] = self._sk_proba(clf, X1[test_idx])
            clf = self._fit_stage1(X1, y, sample_weight)
            if folds < 2:
                oof = self._sk_proba(clf, X1)
            self._set_stage1(clf)
            X2 = context_matrix(oof, fs)
            calib = calibration_rows(groups)
            rows = np.flatnonzero(~calib) if calib.any() and (~calib).any() else np.arange(X2.shape[0])
            if len(rows) > self.params.context_max_rows:
                rng = np.random.default_rng(self.params.seed)
                rows = np.sort(rng.choice(rows, size=self.params.context_max_rows, replace=False))
            P2 = Perceptron.prepare(X2[rows])
            mean = P2.mean(axis=0)
            scale = P2.std(axis=0)
            scale = np.where(scale > 1e-12, scale, 1.0)
            import warnings

            from sklearn.exceptions import ConvergenceWarning

            mlps = []
            inputs = np.clip((P2 - mean) / scale, -8, 8)
            weights = None if sample_weight is None else sample_weight[rows] / sample_weight[rows].mean()
            for member in range(self.params.mlp_members):
                mlp = MLPClassifier(
                    hidden_layer_sizes=(self.params.hidden,),
                    alpha=self.params.mlp_alpha,
                    max_iter=self.params.mlp_epochs,
                    batch_size=256,
                    learning_rate_init=1e-3,
                    random_state=self.params.seed + 1000 * member,
                    early_stopping=False,
                    tol=0.0,
                    n_iter_no_change=self.params.mlp_epochs + 1,
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)  # fixed epoch budget on purpose
                    # Weighted like pass 1: unweighted, pass 2 learnt that filler (about 1% of rows) is
                    # never worth predicting and turned pass 1's confident filler into core (measured on
                    # line-library filler inserted into held-out articles: median P(core) 0.11 after
                    # pass 1, 0.54 at the 75th percentile after pass 2).
                    mlps.append(mlp.fit(inputs, y[rows], sample_weight=weights))
        self.context = Perceptron.merge([Perceptron.compile(m, mean, scale) for m in mlps])
        if calib.any() and (~calib).any():
            self.own_weight, self.temperature = fit_calibration(
                self._context_proba(X2[calib]), oof[calib], y[calib]
            )
        self._last_sklearn = (clf, mlps, X2[:2000])  # for the equivalence test; dropped before saving
        return self

    def stage1_matrix(self, fs: FeatureSet) -> Any:
        """Pass 1's input as one scipy CSR matrix: word n-grams | character n-grams | scaled dense (training)."""
        import scipy.sparse as sp

        blocks = [fs.sparse(len(self.vocabulary))]
        if fs.chars is not None:
            blocks.append(fs.chars.to_scipy())
        return sp.hstack(blocks + [sp.csr_matrix(self._scaled(fs.dense))], format="csr")

    def _new_stage1(self, seed: int) -> Any:
        from sklearn.linear_model import SGDClassifier

        return SGDClassifier(
            loss="log_loss",
            alpha=self.params.alpha,
            max_iter=self.params.epochs,
            tol=None,
            random_state=seed,
            average=False,
        )

    def _fit_stage1(self, X: Any, y: np.ndarray, sample_weight: np.ndarray | None) -> Any:
        clf = self._new_stage1(self.params.seed)
        clf.fit(X, y, sample_weight=sample_weight)
        return clf

    @staticmethod
    def _sk_proba(clf: Any, X: Any) -> np.ndarray:
        proba = clf.predict_proba(X)
        out = np.zeros((X.shape[0], N_LABELS))
        out[:, np.asarray(clf.classes_, dtype=np.int64)] = proba
        return out

    def _set_stage1(self, clf: Any) -> None:
        coef = np.asarray(clf.coef_, dtype=np.float64)
        n_grams = len(self.vocabulary)
        self.stage1_classes = np.asarray(clf.classes_, dtype=np.int64)
        n_chars = (1 << self.char_bits) if self.char_bits else 0
        self.gram_coef = np.ascontiguousarray(coef[:, :n_grams].T, dtype=np.float32)
        self.char_coef = np.ascontiguousarray(coef[:, n_grams : n_grams + n_chars].T, dtype=np.float32)
        self.dense_coef = np.ascontiguousarray(coef[:, n_grams + n_chars :].T)
        self.intercept = np.asarray(clf.intercept_, dtype=np.float64)

    # ------------------------------------------------------------------------------------- persistence
    @classmethod
    def expected_attributes(cls) -> dict[str, list[str]]:
        """JSON attributes a loaded model must have exactly: what this code computes and predicts."""
        return {"feature_names": list(DENSE_NAMES), "labels": [lab.value for lab in LABELS]}

    def _check_loaded(self, dims: Mapping[str, int]) -> None:
        """Refuse a file this code cannot use correctly: other features, labels, or inconsistent classes."""
        for name, want in self.expected_attributes().items():
            got = getattr(self, name)
            if got != want:
                missing = [f for f in want if f not in got]
                extra = [f for f in got if f not in want]
                raise ModelIntegrityError(
                    f"the model's {name} do not match this code's (missing {missing[:5]}, unknown "
                    f"{extra[:5]}{', different order' if not missing and not extra else ''}): it was made "
                    "for another version of article-filter; retrain it"
                )
        _check_classes("stage1_classes", self.stage1_classes, dims["scores"])
        if self.hash_version != hashgrams.HASH_VERSION:
            raise ModelIntegrityError(
                f"the model hashes character n-grams with version {self.hash_version}, this code with "
                f"{hashgrams.HASH_VERSION}: retrain it"
            )
        if dims["char_features"] != ((1 << self.char_bits) if self.char_bits else 0):
            raise ModelIntegrityError(
                f"char_coef has {dims['char_features']} rows, char_bits={self.char_bits} needs {1 << self.char_bits}"
            )
        if not isinstance(self.context, Perceptron):  # set by from_arrays; a guard for direct callers
            raise ModelIntegrityError("model has no context perceptron")
        _check_classes("context.classes", self.context.classes, dims["context_scores"])
        width = N_LABELS * (2 + len(CONTEXT_OFFSETS)) + len(self.feature_names) + len(MISSING_COLS)
        if dims["context_inputs"] != width:
            raise ModelIntegrityError(
                f"context.mean has {dims['context_inputs']} inputs; {len(self.feature_names)} features "
                f"need {width}"
            )

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Only for reading old pickled ``model.joblib`` files (``filter.store.load_legacy_pickle``, an
        explicit opt-in for trusted files): their vocabulary was one newline-joined string."""
        params = state.get("params")
        if isinstance(params, dict):
            state["params"] = ModelParams(**params)
        vocab = state.get("vocabulary")
        if isinstance(vocab, str):
            terms = vocab.split("\n") if vocab else []
            state["vocabulary"] = dict(zip(terms, range(len(terms))))
        state.setdefault("char_bits", 0)
        state.setdefault("own_weight", 0.0)
        state.setdefault("temperature", 1.0)
        state.setdefault("hash_version", hashgrams.HASH_VERSION)
        state.setdefault("char_coef", np.zeros((0, N_LABELS), dtype=np.float32))
        state.setdefault("labels", [lab.value for lab in LABELS])
        self.__dict__.update(state)

    # --------------------------------------------------------------------------------------- prediction
    def _scaled(self, dense: np.ndarray) -> np.ndarray:
        scaled = (np.nan_to_num(dense, nan=0.0) - self.dense_mean) / self.dense_scale
        return np.clip(scaled, -5, 5)

    def stage1_proba(self, fs: FeatureSet) -> np.ndarray:
        n = fs.n_rows
        k = self.intercept.shape[0]  # 1 score for a binary model, else one per class
        # np.take + an in-place product: the same float32 products as ``coef[ids] * w[:, None]`` (so the
        # same sums), without fancy indexing's slower gather and a second temporary (measured: the
        # character-gram gather and product fell from ~145 ms to ~60 ms for 5M entries).
        contrib = np.take(self.gram_coef, fs.gram_ids, axis=0)
        np.multiply(contrib, fs.gram_weights[:, None], out=contrib)
        lexical = np.zeros((n, k))
        nonempty = np.diff(fs.gram_offsets) > 0
        if len(contrib):
            lexical[nonempty] = np.add.reduceat(
                contrib, fs.gram_offsets[:-1][nonempty], axis=0, dtype=np.float64
            )
        if self.char_bits and fs.chars is not None and len(fs.chars.features):
            ch = fs.chars
            cc = np.take(self.char_coef, ch.features, axis=0)
            np.multiply(cc, ch.weights[:, None], out=cc)
            has = np.diff(ch.offsets) > 0
            lexical[has] += np.add.reduceat(cc, ch.offsets[:-1][has], axis=0, dtype=np.float64)
        scores = lexical + self._scaled(fs.dense) @ self.dense_coef + self.intercept
        if k == 1:  # binary SGD: one score
            p = expit(scores[:, 0])
            proba_k = np.column_stack([1 - p, p])
        else:
            proba_k = ovr_proba(scores)
        out = np.zeros((n, N_LABELS))
        out[:, self.stage1_classes] = proba_k
        return out

    def features(self, documents: Sequence[Sequence[str]]) -> FeatureSet:
        """Stage 2 for this model: the features it was trained on (documents are lists of paragraphs)."""
        fs = features.extract(documents, self.vocabulary, char_bits=self.char_bits)
        if self.params.disabled_features:
            off = [
                i for i, name in enumerate(self.feature_names) if name in set(self.params.disabled_features)
            ]
            fs.dense[:, off] = 0.0
        return fs

    def predict_proba(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities (rows: all paragraphs of all documents, columns: LABELS order)."""
        return self.predict_proba_features(self.features(documents))

    def predict_proba_features(self, fs: FeatureSet) -> np.ndarray:
        """Probabilities from features already extracted with :meth:`features`."""
        if self.context is None:
            raise RuntimeError("model is not trained")
        if fs.n_rows == 0:
            return np.zeros((0, N_LABELS))
        p1 = self.stage1_proba(fs)
        X2 = context_matrix(p1, fs)
        return calibrated(self._context_proba(X2), p1, self.own_weight, self.temperature)

    def _context_proba(self, X2: np.ndarray) -> np.ndarray:
        assert self.context is not None
        out = np.zeros((X2.shape[0], N_LABELS))
        out[:, self.context.classes] = self.context.proba(X2)
        return out

    def word_contributions(self, grams: list[str], label_index: int) -> list[tuple[str, float]]:
        """Pass-1 weight of each n-gram for one label: the lexical part of a paragraph's cues."""
        cols = [int(c) for c in self.stage1_classes]
        if label_index not in cols or self.gram_coef.shape[1] != len(cols):
            return []
        j = cols.index(label_index)
        get = self.vocabulary.get
        return [(g, float(self.gram_coef[i, j])) for g in grams if (i := get(g)) is not None]

    # ------------------------------------------------------------------------------------- explanation
    def explain(self, text: str, label: Label, dense: np.ndarray, n: int = 3) -> tuple[str, ...]:
        """Up to ``n`` reader-facing reasons for ``label``: named dense cues first, then telling n-grams.

        ``dense`` is the paragraph's row of ``FeatureSet.dense`` (from :meth:`features`).
        """
        j = LABELS.index(label)

        def lexical(grams: list[str]) -> list[str]:
            found = self.word_contributions(list(dict.fromkeys(grams))[:120], j)
            # Punctuation and function words carry weight in the model but explain nothing to a reader.
            return [g for g, w in sorted(found, key=lambda gw: -gw[1]) if w > 0 and cues.telling(g)][:n]

        return cues.reader_cues(text, label, dict(zip(self.feature_names, dense)), lexical, n)


def _check_classes(name: str, classes: np.ndarray, n_scores: int) -> None:
    """Class columns must be distinct label indices (a negative index would silently wrap around)."""
    values = classes.tolist()
    if len(set(values)) != len(values) or any(not 0 <= c < N_LABELS for c in values):
        raise ModelIntegrityError(f"{name} must be distinct label indices 0..{N_LABELS - 1}, got {values}")
    if len(values) != (2 if n_scores == 1 else n_scores) or len(values) < 2:
        raise ModelIntegrityError(f"{name} has {len(values)} classes for {n_scores} score columns")


#: Model types a model directory may name in ``model.json``; loading anything else is refused.
MODEL_TYPES: dict[str, type[ParagraphModel]] = {ParagraphModel.MODEL_TYPE: ParagraphModel}
