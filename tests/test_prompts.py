"""Prompt templates render their placeholders and reject unknown ones before any model runs."""

import pytest
from hydra.utils import instantiate

from harness import ROOT
from harness.errors import UsageError
from harness.prompts import PromptTemplate
from harness.types import Budget, Document


def test_render_fills_document_and_budget():
    prompt = PromptTemplate(
        "p",
        user="In {budget}: {document}",
        system="Max {budget_size}.",
        budget=Budget("sentences", 3),
    )
    request = prompt.render(Document("d", "Text."))
    assert (request.system, request.user) == ("Max 3.", "In 3 sentences: Text.")
    assert request.budget == Budget("sentences", 3)


def test_an_unknown_placeholder_names_the_template_and_part():
    with pytest.raises(UsageError) as e:
        PromptTemplate("mine", user="{document} in {words} words")
    assert str(e.value).startswith("prompt 'mine': unknown placeholder {words} in prompt.user")


def test_a_template_without_the_document_is_refused():
    with pytest.raises(UsageError, match=r"prompt 'x': neither part has the \{document\}"):
        PromptTemplate("x", user="Summarize.")


def test_a_malformed_template_is_refused():
    with pytest.raises(UsageError, match="prompt 'x': prompt.user"):
        PromptTemplate("x", user="{document} {")


@pytest.mark.parametrize("name", [p.stem for p in (ROOT / "conf" / "prompt").glob("*.yaml")])
def test_every_shipped_prompt_composes_and_renders(config, name):
    prompt = instantiate(config(f"prompt={name}").prompt)
    assert prompt.name == name
    assert "Body of the article." in prompt.render(Document("d", "Body of the article.")).user


def test_an_unknown_placeholder_stops_the_run_when_composed(config, tmp_path):
    from harness.run import build

    with pytest.raises(UsageError, match="unknown placeholder {oops}"):
        build(config("model=lead", "prompt.user='{document} {oops}'"))
