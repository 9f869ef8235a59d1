"""Request bodies of the service, validated, and the feedback files written from them.

Every check raises :class:`ApiError` with its HTTP status and a one-line message for the client. Nothing
here needs Starlette: the request is only read through its ``stream()``. See :mod:`filter.serve` for how
and why feedback is written one file per review session.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import atomic_write_text, fsync_dir
from ..types import LABELS, Label

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["ApiError", "MAX_DOC_ID_CHARS", "feedback_file", "parse_json", "read_body", "texts_of",
           "write_feedback"]  # fmt: skip

#: Longest ``doc_id`` accepted in feedback: ids are file names or record ids, never kilobytes.
MAX_DOC_ID_CHARS = 1000
_SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    """A client error with its HTTP status; the message is shown to the client as one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# ------------------------------------------------------------------------------------------ validation
async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing (413) as soon as more than ``limit`` bytes arrived (chunked bodies have no length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"request body over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    if not body.strip():
        raise ApiError(400, "empty body: send a JSON object")
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"bad JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ApiError(400, "bad JSON: nested too deeply") from None


def _check_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ApiError(422, f"{where} must be a string, got {_json_type(value)}")
    if _SURROGATE_RE.search(value):
        raise ApiError(422, f"{where} contains an unpaired UTF-16 surrogate (not valid Unicode text)")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def texts_of(payload: Any) -> tuple[list[str], bool]:
    """(texts, batch?) from ``{"text": s}`` or ``{"texts": [s, ...]}``; 422 for anything else."""
    if not isinstance(payload, dict):
        raise ApiError(
            422, f'the body must be a JSON object like {{"text": "..."}}, got {_json_type(payload)}'
        )
    unknown = sorted(set(payload) - {"text", "texts"})
    if unknown:
        raise ApiError(422, f"unknown field {unknown[0]!r} (expected 'text' or 'texts')")
    if ("text" in payload) == ("texts" in payload):
        raise ApiError(422, "give exactly one of 'text' (a string) or 'texts' (an array of strings)")
    if "text" in payload:
        return [_check_text(payload["text"], "'text'")], False
    texts = payload["texts"]
    if not isinstance(texts, list):
        raise ApiError(422, f"'texts' must be an array of strings, got {_json_type(texts)}")
    return [_check_text(t, f"'texts'[{i}]") for i, t in enumerate(texts)], True


def _int_field(row: Mapping[str, Any], key: str, where: str, *, required: bool) -> int | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(422, f"{where}: {key!r} must be a non-negative integer")
    return value


def _feedback_row(row: Any, i: int, model_sha: str) -> dict[str, Any]:
    """One validated feedback row, in the field order ``classify --format jsonl`` writes (plus review fields).

    Only known fields are kept, each checked for its type, so a hostile page cannot smuggle anything into the
    training data that ``retrain`` would trip over later.
    """
    where = f"rows[{i}]"
    if not isinstance(row, dict):
        raise ApiError(422, f"{where} must be an object")
    doc_id = _check_text(row.get("doc_id"), f"{where}.doc_id")
    if not doc_id.strip() or len(doc_id) > MAX_DOC_ID_CHARS:
        raise ApiError(422, f"{where}.doc_id must be a non-empty string of at most {MAX_DOC_ID_CHARS} chars")
    text = _check_text(row.get("text"), f"{where}.text")
    if not text.strip():
        raise ApiError(422, f"{where}.text is empty")
    try:
        label = Label.parse(_check_text(row.get("label"), f"{where}.label"))
    except ValueError as exc:
        raise ApiError(422, f"{where}: {exc}") from None
    out: dict[str, Any] = {"doc_id": doc_id, "index": _int_field(row, "index", where, required=True)}
    for key in ("start", "end"):
        value = _int_field(row, key, where, required=False)
        if value is not None:
            out[key] = value
    out["text"] = text
    out["label"] = label.value
    probs = row.get("probabilities")
    if probs is not None:
        if not isinstance(probs, dict) or not all(
            k in {lab.value for lab in LABELS}
            and isinstance(v, (int, float))
            and not isinstance(v, bool)
            and 0.0 <= float(v) <= 1.0
            for k, v in probs.items()
        ):
            raise ApiError(422, f"{where}.probabilities must map label names to numbers in [0, 1]")
    if probs:  # rows opened from training data have none: then neither field is written
        out["probability"] = round(float(probs.get(label.value, 0.0)), 6)
        out["probabilities"] = {k: round(float(v), 6) for k, v in probs.items()}
    cues = row.get("cues")
    if cues is not None:
        if not isinstance(cues, list):
            raise ApiError(422, f"{where}.cues must be an array of strings")
        out["cues"] = [_check_text(c, f"{where}.cues[{k}]") for k, c in enumerate(cues)]
    guess = row.get("model_label")
    if guess is not None:
        try:
            out["model_label"] = Label.parse(_check_text(guess, f"{where}.model_label")).value
        except ValueError as exc:
            raise ApiError(422, f"{where}.model_label: {exc}") from None
    out["reviewed"] = True
    if model_sha:
        out["model_sha256"] = model_sha
    return out


def feedback_file(feedback_dir: Path, session: str) -> Path:
    """Where a review session's corrections are saved (see the module docstring for why one per session)."""
    if not _SESSION_RE.match(session):
        raise ValueError(f"bad session id {session!r}")
    return feedback_dir / f"review-{session}.jsonl"


def write_feedback(feedback_dir: Path, payload: Any, model_sha: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ApiError(
            422, f'the body must be a JSON object like {{"rows": [...]}}, got {_json_type(payload)}'
        )
    unknown = sorted(set(payload) - {"session", "rows"})
    if unknown:
        raise ApiError(422, f"unknown field {unknown[0]!r} (expected 'session' and 'rows')")
    session = payload.get("session")
    if session is None:
        session = uuid.uuid4().hex
    if not isinstance(session, str) or not _SESSION_RE.match(session):
        raise ApiError(422, "'session' must be 8-64 characters from A-Z a-z 0-9 _ -")
    rows = payload.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ApiError(422, "'rows' must be a non-empty array of feedback rows")
    checked = [_feedback_row(r, i, model_sha) for i, r in enumerate(rows)]
    seen: set[tuple[str, int]] = set()
    for i, r in enumerate(checked):
        key = (r["doc_id"], r["index"])
        if key in seen:
            raise ApiError(422, f"rows[{i}]: paragraph {r['index']} of {r['doc_id']!r} appears twice")
        seen.add(key)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for r in checked:
        r["reviewed_at"] = stamp
    path = feedback_file(feedback_dir, session)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in checked))
    fsync_dir(feedback_dir)
    changed = sum(1 for r in checked if r.get("model_label") not in (None, r["label"]))
    return {"saved": len(checked), "changed": changed, "file": path.name, "session": session}
