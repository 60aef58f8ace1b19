"""Write (or, with --check, compare) what an import planned: new files from the emitter,
existing files merged in place with ruamel.yaml's round-trip mode so every comment and
hand-written field stays."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from . import common
from .common import SOURCE_KEYS, Planned, emit_yaml, flat, plain, show
from ..problems import EnvironmentFault
from ..records.schema import ID_RE


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    providers: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _to_ruamel(value):
    """A planned value as ruamel nodes, via the emitter's text: prices keep their exact digits."""
    return _yaml().load(emit_yaml({"v": value}))["v"]


def _update(node, new, path: str, diffs: list[str], rid: str) -> None:
    """Make the map `node` hold `new`'s keys (recursively); keys absent from `new` are left alone
    at the top of the record and removed inside the subtree the source owns."""
    from ruamel.yaml.comments import CommentedMap

    for k, v in new.items():
        old = node.get(k) if hasattr(node, "get") else None
        if isinstance(v, dict) and isinstance(old, CommentedMap):
            _update(old, v, f"{path}.{k}", diffs, rid)
            owned = (path + "." + k).startswith((".pricing", ".limits", ".modalities"))
            for gone in [x for x in old if x not in v and owned]:
                diffs.append(f"{rid}: {path}.{k}.{gone} {show(plain(old[gone]))} -> (none)".replace(": .", ": "))
                del old[gone]
            continue
        if plain(old) != plain(v):
            before, after = flat(plain(old)), flat(plain(v))
            for p in sorted(set(before) | set(after)):
                if before.get(p) != after.get(p):
                    name = f"{path}.{k}" + (f"{p}" if p.startswith("[") else f".{p}" if p else "")
                    diffs.append(f"{rid}: {name.lstrip('.')} {show(before.get(p))} -> {show(after.get(p))}")
            if k in node or not hasattr(node, "insert"):
                node[k] = _to_ruamel(v)
            else:  # a new key goes where the schema's order puts it, not at the end
                node.insert(_position(node, k, path), k, _to_ruamel(v))


def _position(node, key: str, path: str) -> int:
    from ..records import schema

    if path == "":
        order = list(schema.ModelRecord.model_fields)
    elif path.startswith(".pricing") or (path.startswith(".offers") and "pricing" in path):
        order = common.PRICE_ORDER
    else:
        return len(node)
    if key not in order:
        return len(node)
    rank = order.index(key)
    keys = list(node)
    pos = len(keys)
    for i, k in enumerate(keys):
        if k in order and order.index(k) > rank:
            pos = i
            break
    return pos


def _text_problem(text: str) -> str | None:
    from ..records import schema
    from ..records.source import parse_yaml
    from ..records.validate import validate

    data, sm, problems = parse_yaml(text, "record.yaml")
    if problems:
        return problems[0].message
    model, problems = validate(schema.ModelRecord, data, sm)
    if problems:
        return f"{problems[0].field}: {problems[0].message}"
    return common.single_record_problem(model)


def apply(project: Path, planned: list[Planned], providers: dict[str, dict], check: bool,
          derived_note: str) -> Report:
    report = Report()
    catalog = project / "catalog"
    for p in planned:
        maker, slug = p.id.split("/")
        path = catalog / "models" / maker / f"{slug}.yaml"
        if path.exists():
            y = _yaml()
            try:
                text = path.read_text(encoding="utf-8")
                doc = y.load(text)
            except Exception as exc:  # a hand edit that is no longer YAML: report, never overwrite
                report.refused.append(f"{p.id}: cannot merge into {path.relative_to(project)}: {exc}".splitlines()[0])
                continue
            if not hasattr(doc, "get"):
                report.refused.append(f"{p.id}: {path.relative_to(project)} is not a mapping; left alone")
                continue
            diffs: list[str] = []
            new = {k: p.record[k] for k in SOURCE_KEYS if k in p.record}
            _update(doc, new, "", diffs, p.id)
            if not diffs:
                report.unchanged += 1
                continue
            report.diffs.extend(diffs)
            buf = io.StringIO()
            y.dump(doc, buf)
            merged = buf.getvalue()
            problem = _text_problem(merged)
            if problem:
                report.refused.append(f"{p.id}: the merged record would not validate ({problem}); left as it was")
                continue
            if not check:
                _write(path, merged)
            report.updated.append(p.id)
        else:
            report.diffs.append(f"{p.id}: new record")
            if not check:
                comments = {"summary": derived_note} if p.derived_summary else {}
                _write(path, emit_yaml(p.record, comments))
            report.written.append(p.id)
        ppath = catalog / "providers" / f"{maker}.yaml"
        if not ppath.exists() and maker not in report.providers:
            info = providers.get(maker, {})
            prov = {"id": maker, "name": info.get("name") or common.maker_name(maker)}
            if info.get("url"):
                prov["url"] = info["url"]
            if not check:
                _write(ppath, emit_yaml(prov))
            report.providers.append(maker)
    return report


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise EnvironmentFault(f"cannot write {path}: {exc.strerror}") from None


def existing_ids(project: Path) -> set[str]:
    out = set()
    models = project / "catalog" / "models"
    if models.is_dir():
        for f in models.glob("*/*.yaml"):
            if ID_RE.match(f.parent.name) and ID_RE.match(f.stem):
                out.add(f"{f.parent.name}/{f.stem}")
    return out
