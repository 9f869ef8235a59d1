"""The compiled (numpy-only) model predicts exactly what the scikit-learn estimators it came from predict."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from conftest import make_tiny_documents

from filter import features
from filter.model import ModelParams, ParagraphModel
from filter.training.evaluation import _labels_groups
from filter.training.train import _weights


def _fit_tiny() -> tuple[ParagraphModel, list[list[str]]]:
    docs = make_tiny_documents(n=40, seed=3)
    y, groups = _labels_groups(docs)
    model = ParagraphModel(ModelParams(mlp_epochs=10))
    paragraphs = [d.paragraphs for d in docs]
    model.fit(paragraphs, y, groups, sample_weight=_weights(docs, y))
    return model, paragraphs


def test_compiled_prediction_equals_sklearn() -> None:
    model, paragraphs = _fit_tiny()
    clf, mlps, _ = model._last_sklearn
    fs = features.extract(paragraphs, model.vocabulary, char_bits=model.char_bits)
    assert fs.chars is not None  # the default model has character n-grams, so they are compared too
    X1 = model.stage1_matrix(fs)
    sk1 = model._sk_proba(clf, X1)
    np.testing.assert_allclose(model.stage1_proba(fs), sk1, atol=1e-6)

    from filter.context import context_matrix

    X2 = context_matrix(model.stage1_proba(fs), fs)
    ctx = model.context
    assert ctx is not None
    # Merged members (ModelParams.mlp_members): softmax of the mean logit = normalised geometric mean.
    log_p = np.mean([np.log(m.predict_proba(ctx.scaled(X2))) for m in mlps], axis=0)
    expected = np.exp(log_p) / np.exp(log_p).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ctx.proba(X2), expected, atol=1e-9)


def test_merged_perceptrons_equal_the_mean_of_their_logits() -> None:
    docs = make_tiny_documents(n=40, seed=3)
    y, groups = _labels_groups(docs)
    model = ParagraphModel(ModelParams(mlp_epochs=5, mlp_members=3))
    paragraphs = [d.paragraphs for d in docs]
    model.fit(paragraphs, y, groups, sample_weight=_weights(docs, y))
    _, mlps, X2 = model._last_sklearn
    ctx = model.context
    assert ctx is not None and len(mlps) == 3 and ctx.w1.shape[1] == 3 * model.params.hidden
    log_p = np.mean([np.log(m.predict_proba(ctx.scaled(X2))) for m in mlps], axis=0)
    expected = np.exp(log_p) / np.exp(log_p).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ctx.proba(X2), expected, atol=1e-9)
    singles = [mlp.predict_proba(ctx.scaled(X2)) for mlp in mlps]
    assert not np.allclose(singles[0], singles[1])  # the members differ, so the merge does something


def test_prediction_does_not_import_sklearn(tiny_model_dir) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys; from filter import load_model; f = load_model(sys.argv[1]); "
        "f.clean('Home\\n\\nThe council voted 7 to 2 on Tuesday, officials said.'); "
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tiny_model_dir)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_probabilities_are_distributions() -> None:
    model, paragraphs = _fit_tiny()
    proba = model.predict_proba(paragraphs[:5] + [[]])
    assert proba.shape[1] == 4
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert (proba >= 0).all()
