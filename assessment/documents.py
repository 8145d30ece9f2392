"""Read YAML or JSON documents safely: size, nesting and alias limits, and YAML 1.2 booleans.

Hand-written files must just work, and hostile ones must fail fast with a short message. Only
``true``/``false`` are booleans here, so ``no``, ``yes``, ``on`` and ``off`` stay the words people meant.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 100_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(ValueError):
    """A document could not be read at all (not YAML, too big, too deep, ...)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class _StrictLoader(_Loader):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 booleans (``yes``/``no`` stay strings) and dates as the text written
    (``2027-02-30`` is then the reader's bad date with its path, not a loader crash)."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > MAX_BYTES:
            raise DocumentError("too_large", f"{len(raw)} bytes > {MAX_BYTES}")
        if b"\x00" in raw:
            raise DocumentError("binary")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError("not_utf8", f"byte {exc.start}") from None
    if len(text) > MAX_BYTES:
        raise DocumentError("too_large", f"{len(text)} characters > {MAX_BYTES}")
    if "\x00" in text:
        raise DocumentError("binary")
    return text


def _check_shape(text: str) -> None:
    """Walk the YAML event stream once: reject deep nesting and alias bombs before building objects."""
    depth = 0
    sizes: list[int] = [0]
    anchors: dict[str, int] = {}
    anchor_stack: list[str | None] = []
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise DocumentError("too_deep", f"more than {MAX_DEPTH} levels")
            sizes.append(1)
            anchor_stack.append(event.anchor)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            size = sizes.pop()
            anchor = anchor_stack.pop()
            if anchor:
                anchors[anchor] = size
            sizes[-1] += size
        elif isinstance(event, yaml.ScalarEvent):
            sizes[-1] += 1
            if event.anchor:
                anchors[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in anchor_stack:  # refers to a collection it sits inside: an endless structure
                raise DocumentError("recursive_alias", f"*{event.anchor}")
            sizes[-1] += anchors.get(event.anchor or "", 1)
        else:
            continue
        total = sizes[0] + sum(sizes[1:])
        if total > MAX_NODES:
            raise DocumentError("too_many_nodes", f"more than {MAX_NODES} values once aliases are expanded")


def _check_depth(data: Any) -> None:
    """Reject JSON nested deeper than YAML is allowed to be (iteratively: no recursion on hostile input)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise DocumentError("too_many_nodes", f"more than {MAX_NODES} values")
        if isinstance(node, dict | list):
            if depth >= MAX_DEPTH:
                raise DocumentError("too_deep", f"more than {MAX_DEPTH} levels")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def load_document(raw: bytes | str) -> Any:
    """Parse YAML or JSON text into plain Python data, raising :class:`DocumentError` on anything unsafe."""
    text = _decode(raw)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DocumentError("empty")
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            data = json.loads(text)
            _check_depth(data)
            return data
        except DocumentError:
            raise
        except RecursionError:
            raise DocumentError("too_deep", f"more than {MAX_DEPTH} levels") from None
        except json.JSONDecodeError:
            pass  # flow-style YAML also starts with a brace; let the YAML parser judge it
        except ValueError as exc:  # e.g. an integer with more digits than Python converts
            raise DocumentError("not_yaml", str(exc)[:120]) from None
    try:
        _check_shape(text)
        return yaml.load(text, Loader=_StrictLoader)
    except DocumentError:
        raise
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # libyaml 0.2.6+ stops deep flow nesting while scanning ahead
            raise DocumentError("too_deep", f"more than {MAX_DEPTH} levels") from None
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DocumentError("not_yaml", f"{where}: {exc.problem or exc}".strip(": ")) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise DocumentError("not_yaml", str(exc)[:200]) from None


class _StrictDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes what the strict loader reads back the same: ``yes`` and ``no`` stay words, unquoted."""


_StrictDumper.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers


def dump_document(data: Any, as_json: bool = False) -> str:
    """Write plain data back as YAML (block style, keys in their order, Japanese as written) or as JSON."""
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return yaml.dump(data, Dumper=_StrictDumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
