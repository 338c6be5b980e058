"""Prompt templates: a system part and a user part with ``{placeholders}``.

Placeholders: ``{document}`` (the article), ``{budget}`` ("60 words"), ``{budget_size}`` and
``{budget_unit}``. A template is checked when it is built, so an unknown placeholder stops the
run before any model is called.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from harness.errors import UsageError
from harness.types import Budget, Document, Request

PLACEHOLDERS = frozenset({"document", "budget", "budget_size", "budget_unit"})


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    user: str
    system: str = ""
    budget: Budget = field(default_factory=Budget)

    def __post_init__(self) -> None:
        for part in ("system", "user"):
            try:
                fields = {f for _, f, _, _ in string.Formatter().parse(getattr(self, part)) if f}
            except ValueError as e:
                raise UsageError(
                    f"prompt {self.name!r}: prompt.{part} is malformed ({e})"
                ) from None
            unknown = fields - PLACEHOLDERS
            if unknown:
                raise UsageError(
                    f"prompt {self.name!r}: unknown placeholder {{{sorted(unknown)[0]}}} in "
                    f"prompt.{part} (known: {', '.join(f'{{{p}}}' for p in sorted(PLACEHOLDERS))})"
                )
        if "{document}" not in self.user and "{document}" not in self.system:
            raise UsageError(f"prompt {self.name!r}: neither part has the {{document}} placeholder")

    def render(self, doc: Document) -> Request:
        values = {
            "document": doc.text,
            "budget": f"{self.budget.size} {self.budget.unit}",
            "budget_size": self.budget.size,
            "budget_unit": self.budget.unit,
        }
        return Request(doc, self.system.format(**values), self.user.format(**values), self.budget)
