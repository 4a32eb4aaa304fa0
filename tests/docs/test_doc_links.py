"""Every link and every file the README and docs/ name resolves inside the repository: a
user who cloned it has nothing beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
TOP = ("docs/", "scenarios/", "bench/", "phone_sim/", "tests/", "scripts/")
PLACEHOLDER = re.compile(r"[A-Z]{2,}|\*|\.\.\.|…|<|\{")  # FILE.yaml, DIR, *.yaml, my-lessons/...


def named_files(doc: Path) -> list[str]:
    text = doc.read_text(encoding="utf-8")
    names = [target.split("#")[0] for target in LINK.findall(text) if "://" not in target]
    names += [code for code in CODE.findall(text)
              if ((code.endswith(".md") and not code.startswith(".")) or code.startswith(TOP)
                  or code.startswith("../"))
              and not PLACEHOLDER.search(code)]
    return [name for name in names if name]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_file_named_is_in_the_repository(doc: Path) -> None:
    missing = []
    for name in named_files(doc):
        candidates = [(doc.parent / name).resolve(), (ROOT / name).resolve()]
        inside = [c for c in candidates if c.is_relative_to(ROOT)]
        if not any(c.exists() for c in inside):
            missing.append(name)
    assert missing == [], f"{doc.relative_to(ROOT)} names what a clone does not have"


def test_the_docs_a_user_needs_are_there() -> None:
    for name in ("spec.md", "scenario-format.md", "architecture.md", "behaviour.md"):
        assert (ROOT / "docs" / name).is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "](docs/scenario-format.md)" in readme


SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT / "-")


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/ beside the repository (a user's clone)")
@pytest.mark.parametrize(("copy", "source"), [("spec.md", "spec/SPEC.md"), ("scenario-format.md",
                                                                            "spec/scenario-format.md")])
def test_the_users_copies_follow_the_contract(copy: str, source: str) -> None:
    """docs/ carries the contract for users; it must not drift from the developers' one."""
    ours = (ROOT / "docs" / copy).read_text(encoding="utf-8").split("-->\n\n", 1)[1]
    theirs = (SHARED / source).read_text(encoding="utf-8")
    theirs = theirs.replace("`../seed/option-pabx-mobile-guide.fr.txt` (French; \"the guide\")",
                            "the operator's guide to \"Option PABX mobile\" (French; \"the guide\")")
    assert ours == theirs.replace("SPEC.md", "spec.md") if copy != "spec.md" else ours == theirs
