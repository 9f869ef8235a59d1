"""The pickle-free model format: nothing in a model directory can run code, and every malformed or hostile
directory is refused with a clear :class:`ModelIntegrityError` (never a traceback, never a payload run).

Most hostile cases are *consistent*: the attacker also rewrites the card's hashes, because a hash only
proves a file is the one its card names. What must stop them is the format itself.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest

import filter as af
from filter.api import load_model
from filter.cli import main
from filter.config import FALLBACK_MIN_CORE_PROBABILITY, FilterConfig
from filter.model import ParagraphModel
from filter.persist import ArrayAttr
from filter.store import (
    CARD_FILE,
    LEGACY_MODEL_FILE,
    META_FILE,
    MODEL_FILES,
    WEIGHTS_FILE,
    ModelIntegrityError,
    PickleWarning,
    file_sha256,
    load_verified,
    model_digest,
    save_model_dir,
)

DOCS = [
    ["Home", "The council voted 7 to 2 on Tuesday to approve the budget, officials said.", "READ MORE: x"],
    ["Sign up for our daily newsletter", "Police said a 34-year-old man was arrested on Friday."],
]


class _Payload:
    """Unpickling this creates ``path``: the stand-in for arbitrary code in a hostile file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.path, "code ran"))


@pytest.fixture()
def model_dir(tiny_model_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "m"
    shutil.copytree(tiny_model_dir, d)
    return d


def _rehash(d: Path) -> None:
    """What an attacker with write access does after changing files: make the card match them again."""
    card = json.loads((d / CARD_FILE).read_text())
    for name in MODEL_FILES:
        card["files"][name] = {"sha256": file_sha256(d / name), "bytes": (d / name).stat().st_size}
    card["sha256"] = model_digest({n: f["sha256"] for n, f in card["files"].items()})
    (d / CARD_FILE).write_text(json.dumps(card))


def _edit_meta(d: Path, change: Any) -> None:
    meta = json.loads((d / META_FILE).read_text())
    change(meta)
    (d / META_FILE).write_text(json.dumps(meta))
    _rehash(d)


def _rewrite_weights(d: Path, change: Any, *, compressed: bool = False, fix_manifest: bool = True) -> None:
    with np.load(d / WEIGHTS_FILE) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    (np.savez_compressed if compressed else np.savez)(d / WEIGHTS_FILE, **arrays)
    if fix_manifest:
        _edit_meta(
            d,
            lambda m: m.__setitem__(
                "arrays", {k: {"dtype": v.dtype.name, "shape": list(v.shape)} for k, v in arrays.items()}
            ),
        )
    else:
        _rehash(d)


# ------------------------------------------------------------------------------------------ round trip
def test_to_arrays_from_arrays_round_trip(tiny_filter: Any) -> None:
    model = tiny_filter.model
    arrays, meta = model.to_arrays()
    assert set(arrays) == set(ParagraphModel.array_names())
    assert all(a.dtype != object for a in arrays.values())
    back = ParagraphModel.from_arrays(arrays, json.loads(json.dumps(meta)))
    assert back.vocabulary == model.vocabulary and back.params == model.params
    np.testing.assert_array_equal(back.predict_proba(DOCS), model.predict_proba(DOCS))
    arrays2, meta2 = back.to_arrays()
    assert meta2 == meta and all(np.array_equal(arrays[k], arrays2[k]) for k in arrays)


def test_save_load_directory_round_trip(tiny_filter: Any, tmp_path: Path) -> None:
    digest = save_model_dir(tiny_filter.model, tmp_path / "m", dict(tiny_filter.card))
    loaded, card = load_verified(tmp_path / "m")
    assert card["sha256"] == digest and card["model"]["type"] == ParagraphModel.MODEL_TYPE
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == sorted([*MODEL_FILES, CARD_FILE])
    np.testing.assert_array_equal(loaded.predict_proba(DOCS), tiny_filter.model.predict_proba(DOCS))
    with np.load(tmp_path / "m" / WEIGHTS_FILE, allow_pickle=False) as npz:
        assert len(npz.files) == len(ParagraphModel.array_names())


def test_a_new_array_attribute_is_one_declaration(tiny_filter: Any) -> None:
    """What another branch will do (e.g. hashed n-gram coefficients): one line in ARRAYS, checked on load."""

    class Extended(ParagraphModel):
        ARRAYS = (*ParagraphModel.ARRAYS, ArrayAttr("extra_coef", "float32", ("vocab", "scores")))

    model = Extended.__new__(Extended)
    model.__dict__.update(tiny_filter.model.__dict__)
    model.extra_coef = np.ones_like(model.gram_coef)
    arrays, meta = model.to_arrays()
    assert "extra_coef" in arrays
    np.testing.assert_array_equal(Extended.from_arrays(arrays, meta).extra_coef, model.extra_coef)
    arrays["extra_coef"] = arrays["extra_coef"][:-1]  # one row short of the vocabulary
    with pytest.raises(ModelIntegrityError, match="dimension 'vocab'"):
        Extended.from_arrays(arrays, meta)
    with pytest.raises(ModelIntegrityError, match="does not declare"):  # old code, newer file
        ParagraphModel.from_arrays(model.to_arrays()[0], meta)


# ---------------------------------------------------------------------------------------- pickles refused
def test_pickle_payload_with_matching_card_does_not_run(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10 case 1: a joblib file with a __reduce__ payload and a card whose SHA-256 matches it."""
    marker = tmp_path / "PWNED"
    evil = tmp_path / "evil"
    evil.mkdir()
    joblib.dump(_Payload(marker), evil / LEGACY_MODEL_FILE)
    (evil / CARD_FILE).write_text(json.dumps({"sha256": file_sha256(evil / LEGACY_MODEL_FILE)}))
    with pytest.raises(ModelIntegrityError, match="pickled model .* not loaded.*models convert"):
        load_model(evil)
    text = tmp_path / "a.txt"
    text.write_text("The council voted on Tuesday, officials said.\n")
    assert main(["clean", str(text), "--model", str(evil)]) == 4
    assert "Pickles can run code" in capsys.readouterr().err
    # Even beside a valid new-format model, the pickle is never read.
    shutil.copy(evil / LEGACY_MODEL_FILE, model_dir / LEGACY_MODEL_FILE)
    load_model(model_dir).clean("Some text.")
    assert not marker.exists()
    joblib.load(evil / LEGACY_MODEL_FILE)  # control: the payload is real, unpickling does run it
    assert marker.read_text() == "code ran"


def test_object_array_in_npz_is_refused_without_running(model_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    _rewrite_weights(model_dir, lambda a: a.__setitem__("intercept", payload))  # manifest and hashes fixed
    with pytest.raises(ModelIntegrityError, match="dtype .*object arrays"):
        load_model(model_dir)
    assert not marker.exists()
    # np.load itself, as the store calls it, refuses too (the header check runs first, this is the backstop)
    with pytest.raises(ValueError, match="allow_pickle"):
        np.load(model_dir / WEIGHTS_FILE, allow_pickle=False)["intercept"]
    assert not marker.exists()
    np.load(model_dir / WEIGHTS_FILE, allow_pickle=True)["intercept"]  # control: the payload is real
    assert marker.exists()


def test_legacy_directory_loads_only_on_explicit_opt_in_and_converts_exactly(
    tiny_filter: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    old.mkdir()
    joblib.dump(tiny_filter.model, old / LEGACY_MODEL_FILE, compress=3)
    card = {k: v for k, v in tiny_filter.card.items() if k not in ("files", "model")}
    card["sha256"] = file_sha256(old / LEGACY_MODEL_FILE)
    (old / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelIntegrityError, match="pickled"):
        load_model(old)
    with pytest.warns(PickleWarning, match="arbitrary code"):
        legacy = load_model(old, allow_pickle=True)
    np.testing.assert_array_equal(legacy.model.predict_proba(DOCS), tiny_filter.model.predict_proba(DOCS))
    new = tmp_path / "new"
    assert main(["models", "convert", str(old), str(new)]) == 0
    out = capsys.readouterr()
    assert "WARNING" in out.err and "bit-identical" in out.out
    converted = load_model(new)
    assert not (new / LEGACY_MODEL_FILE).exists()
    assert converted.card["converted_from"]["sha256"] == card["sha256"]
    np.testing.assert_array_equal(converted.model.predict_proba(DOCS), tiny_filter.model.predict_proba(DOCS))
    assert main(["models", "convert", str(old), str(new)]) == 2  # never over an existing model
    assert "not empty" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- tampering
def test_tampered_weights_or_description_are_refused(model_dir: Path) -> None:
    data = bytearray((model_dir / WEIGHTS_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside gram_coef's data
    (model_dir / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="TAMPERED: .*weights.npz does not match its card"):
        load_model(model_dir)
    _rehash(model_dir)  # consistent card now: the zip member's CRC still disagrees
    with pytest.raises(ModelIntegrityError, match="CRC"):
        load_model(model_dir)


def test_tampered_model_json_is_refused(model_dir: Path) -> None:
    meta_text = (model_dir / META_FILE).read_text()
    (model_dir / META_FILE).write_text(meta_text.replace('"seed": 0', '"seed": 1'))
    with pytest.raises(ModelIntegrityError, match="model.json does not match its card"):
        load_model(model_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.__setitem__("model_type", "os.system"), "unknown model type 'os.system'"),
        (lambda m: m.__setitem__("format_version", 99), "format version 99"),
        (lambda m: m.__setitem__("format", "something-else"), "not an article-filter model description"),
        (lambda m: m["attributes"].__setitem__("labels", ["core", "other"]), "labels do not match"),
        (lambda m: m["attributes"].__setitem__("params", [1, 2]), "params should be an object"),
        (lambda m: m["attributes"].__setitem__("params", {"evil": 1}), "attribute params"),
        (lambda m: m["attributes"].pop("feature_names"), "disagree|lacks attribute"),
        (lambda m: m.__setitem__("components", {}), "lacks component context"),
    ],
)
def test_consistently_rewritten_model_json_is_refused(model_dir: Path, change: Any, message: str) -> None:
    _edit_meta(model_dir, change)
    with pytest.raises(ModelIntegrityError, match=message):
        load_model(model_dir)


def test_feature_names_must_equal_the_codes(model_dir: Path) -> None:
    """Old models used to break silently when features changed; now the card and model.json are checked."""

    def rename(meta: dict[str, Any]) -> None:
        meta["attributes"]["feature_names"][0] = "renamed_feature"

    _edit_meta(model_dir, rename)
    card = json.loads((model_dir / CARD_FILE).read_text())
    card["model"]["feature_names"][0] = "renamed_feature"
    (model_dir / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelIntegrityError, match="feature_names do not match this code's.*retrain"):
        load_model(model_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.__setitem__("gram_coef", a["gram_coef"].astype(np.float64)), "gram_coef has dtype"),
        (lambda a: a.__setitem__("gram_coef", a["gram_coef"][:-3]), "dimension 'vocab'"),
        (lambda a: a.__setitem__("dense_mean", a["dense_mean"][:-1]), "dimension 'features'"),
        (lambda a: a.__setitem__("intercept", a["intercept"].reshape(1, -1)), "2 dimensions"),
        (lambda a: a["dense_scale"].__setitem__(0, np.nan), "NaN"),
        (lambda a: a.__setitem__("stage1_classes", np.array([0, 1, 2, -1])), "distinct label indices"),
        (lambda a: a.pop("context.w2"), "lack array context.w2"),
        (lambda a: a.__setitem__("surprise", np.zeros(3)), "does not declare"),
        (lambda a: a.__setitem__("vocabulary", np.frombuffer(b"\xff\xfe", dtype=np.uint8)), "UTF-8"),
        (lambda a: a.__setitem__("dense_mean", a["dense_mean"].astype(">f8")), "dtype >f8"),
        (lambda a: a.__setitem__("dense_mean", a["dense_mean"].astype("U8")), "dtype <U8"),
    ],
)
def test_bad_arrays_are_refused(model_dir: Path, change: Any, message: str) -> None:
    _rewrite_weights(model_dir, change)
    with pytest.raises(ModelIntegrityError, match=message):
        load_model(model_dir)


def test_compressed_or_mismatched_npz_is_refused(model_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "o"
    shutil.copytree(model_dir, other)
    _rewrite_weights(model_dir, lambda a: None, compressed=True)
    with pytest.raises(ModelIntegrityError, match="not an uncompressed"):
        load_model(model_dir)
    _rewrite_weights(other, lambda a: a.__setitem__("intercept", a["intercept"][:2]), fix_manifest=False)
    with pytest.raises(ModelIntegrityError, match="does not match the manifest"):
        load_model(other)


# ------------------------------------------------------------------------------------------ hostile cards
@pytest.mark.parametrize(
    ("card_text", "message"),
    [
        ("[1, 2, 3]", "JSON list, not an object"),
        ("{not json", "unreadable model card"),
        ('"just a string"', "JSON str"),
        ("{}", "'files'"),
    ],
)
def test_unparseable_cards_are_refused(model_dir: Path, card_text: str, message: str) -> None:
    (model_dir / CARD_FILE).write_text(card_text)
    with pytest.raises(ModelIntegrityError, match=message):
        load_model(model_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.__setitem__("metrics", [0.9]), "'metrics' is a list"),
        (lambda c: c["metrics"].__setitem__("core_recall", "high"), "core_recall is 'high'"),
        (lambda c: c["metrics"].__setitem__("min_core_probability", 7), "expected 0 < p < 1"),
        (lambda c: c["metrics"].__setitem__("macro_f1", True), "macro_f1 is True"),
        (lambda c: c["metrics"].__setitem__("per_label", {"core": "good"}), "per_label"),
        (lambda c: c["files"][WEIGHTS_FILE].__setitem__("sha256", 42), "files.weights.npz.sha256"),
        (lambda c: c.pop("files"), "'files'"),
        (lambda c: c.__setitem__("model", "x"), "'model'"),
        (lambda c: c["model"].__setitem__("format_version", "1"), "format_version is not an integer"),
        (lambda c: c.__setitem__("labels", {"a": 1}), "'labels'"),
    ],
)
def test_mistyped_cards_are_refused_clearly(
    model_dir: Path, change: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    card = json.loads((model_dir / CARD_FILE).read_text())
    change(card)
    (model_dir / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelIntegrityError, match="malformed: .*" + message):
        load_model(model_dir)
    text = model_dir.parent / "a.txt"
    text.write_text("Some text.\n")
    assert main(["classify", str(text), "--model", str(model_dir)]) == 4
    assert "malformed" in capsys.readouterr().err


def test_missing_directory_or_files(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="no model at .*not a directory"):
        load_model(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelIntegrityError, match="no model card"):
        load_model(tmp_path / "empty")
    (model_dir / META_FILE).unlink()
    with pytest.raises(ModelIntegrityError, match="model.json is missing"):
        load_model(model_dir)


# ------------------------------------------------------------------------------- config and public calls
def test_config_without_threshold_keeps_the_models_tuned_one(tiny_model_dir: Path) -> None:
    """Issue 11's trap: a config for another option must not replace the card's threshold."""
    card = json.loads((tiny_model_dir / CARD_FILE).read_text())
    tuned = card["metrics"]["min_core_probability"]
    assert load_model(tiny_model_dir).config.min_core_probability == tuned
    flt = load_model(tiny_model_dir, config=FilterConfig(joiner="\n"))
    assert flt.config.min_core_probability == tuned and flt.config.joiner == "\n"
    explicit = load_model(tiny_model_dir, config=FilterConfig(min_core_probability=0.9))
    assert explicit.config.min_core_probability == 0.9
    assert flt.with_config(FilterConfig(n_cues=1)).config.min_core_probability == tuned


def test_card_without_threshold_uses_the_fallback(tiny_filter: Any) -> None:
    card = json.loads(json.dumps(tiny_filter.card))
    card["metrics"].pop("min_core_probability")
    flt = af.ArticleFilter(tiny_filter.model, card)
    assert flt.config.min_core_probability == FALLBACK_MIN_CORE_PROBABILITY


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -0.1, 1.5, "0.5", True])
def test_filter_config_refuses_bad_thresholds(bad: Any) -> None:
    with pytest.raises(ValueError, match="min_core_probability"):
        FilterConfig(min_core_probability=bad)


def test_public_clean_and_classify_with_and_without_config() -> None:
    """filter.clean / filter.classify / FilterConfig on the shipped model (loaded once per process)."""
    text = (
        "Home | News | Sport\n\n"
        "The council voted 7 to 2 on Tuesday to approve the new budget, officials said.\n\n"
        "Police said a 34-year-old man was arrested after the incident in the city centre on Friday."
    )
    default = af.classify(text)
    shipped = load_model()
    tuned = shipped.card["metrics"]["min_core_probability"]
    assert shipped.config.min_core_probability == tuned
    kept = [p.text for p in default if p.label is af.Label.CORE]
    assert af.clean(text) == "\n\n".join(kept)
    assert af.clean(text, FilterConfig(joiner=" / ")) == " / ".join(kept)  # same threshold, other joiner
    assert [p.label for p in af.classify(text, FilterConfig(joiner=" / "))] == [p.label for p in default]
    assert af.clean(text, FilterConfig(min_core_probability=1.0)) == ""  # nothing reaches P(core) >= 1
    everything = af.classify(text, FilterConfig(min_core_probability=0.0))
    assert all(p.label is af.Label.CORE for p in everything)
    assert all(p.probabilities for p in default) and len(default) == 3


# -------------------------------------------------------------------------------------------- CLI options
@pytest.mark.parametrize(
    "argv",
    [
        ["retrain", "--data", "x.jsonl", "--tolerance", "nan"],
        ["retrain", "--data", "x.jsonl", "--tolerance", "inf"],
        ["retrain", "--data", "x.jsonl", "--tolerance", "-0.01"],
        ["retrain", "--data", "x.jsonl", "--tolerance", "2"],
        ["retrain", "--data", "x.jsonl", "--seed", "-1"],
        ["train", "--data", "x.jsonl", "--output", "m", "--seed", "99999999999"],
        ["clean", "a.txt", "--min-core-probability", "nan"],
        ["clean", "a.txt", "--min-core-probability", "2"],
        ["classify", "a.txt", "--min-core-probability", "-1"],
    ],
)
def test_numeric_options_must_be_finite_and_in_range(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert "must be" in capsys.readouterr().err


def test_loading_imports_no_pickle_reader(tiny_model_dir: Path) -> None:
    """joblib is not even imported on the normal path (pickle itself is imported by numpy, unused)."""
    import subprocess
    import sys

    code = (
        "import sys; from filter import load_model; load_model(sys.argv[1]).clean('Some text here.'); "
        "print('joblib' in sys.modules, 'sklearn' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tiny_model_dir)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert out.stdout.split() == ["False", "False"]
