"""The loader phone-sim used before reading the event stream: PyYAML composes the node
tree, then a recursive walk turns it into data and a dict of lines by path. Kept as the
reference the new loader is compared with (tests) and measured against (bench); it is
slow on big files and unsafe on deep or aliased ones, which is why it was replaced."""

from __future__ import annotations

import re
from typing import Any

import yaml

Path = tuple[str | int, ...]

_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"}
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]{0,17})$"),
                              list("-0123456789"))


class ReferenceError_(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{line}: {message}")
        self.line, self.message = line, message


def reference_parse(text: str) -> tuple[Any, dict[Path, int], dict[Path, int]]:
    """(data, line of each value by path, line of each key by path); ReferenceError_ with
    the line and message the old loader gave for invalid YAML."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            values: dict[Path, int] = {}
            keys: dict[Path, int] = {}
            data = _convert(loader, root, (), values, keys) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise ReferenceError_(*_problem(exc)) from exc
    except yaml.YAMLError as exc:
        raise ReferenceError_(0, f"invalid YAML: {exc}") from exc
    return data, values, keys


def _problem(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 0
    context = exc.context or ""
    if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        context += f" (from line {exc.context_mark.line + 1})"
    problem = ": ".join(p for p in (context, exc.problem) if p)
    return line, f"invalid YAML: {problem}"


def _convert(loader: Any, node: yaml.Node, path: Path, values: dict[Path, int], keys: dict[Path, int]) -> Any:
    values[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(problem="a key must be a plain word, not a list or a mapping",
                                           problem_mark=key_node.start_mark)
            key = str(key_node.value)
            if key in result:
                raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            keys[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _convert(loader, value_node, path + (key,), values, keys)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, path + (i,), values, keys) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    return loader.construct_object(node, deep=True)


def reference_lines(values: dict[Path, int], keys: dict[Path, int], path: Path) -> tuple[int, int]:
    """What the old ``Lines`` answered for ``path``: (value line, key line)."""
    full = path
    while full not in values:
        if not full:
            return 0, keys.get(path) or 0
        full = full[:-1]
    return values[full], keys.get(path) or values[full]


# -- the writer it replaced: PyYAML's dumper with our styles ---------------------------


def reference_dump(data: Any) -> str:
    """``company_to_data`` output as the old ``dump_company`` wrote it (PyYAML's emitter)."""
    from phone_sim.scenario.yamlwriter import Flow, FlowMap, Quoted

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    Dumper.add_representer(Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))
    Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
    Dumper.add_representer(FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)
