"""Loading documents and references: the seeds, local files through `datasets`, bad input."""

import json
import logging

import pytest

from harness import ROOT
from harness.data import HFDataset, SeedArticles, clean_text, to_documents
from harness.errors import UsageError


def seed_articles(seeds_dir, references_dir, **kw):
    return SeedArticles(seeds_dir=str(seeds_dir), references_dir=str(references_dir), **kw)


def test_the_seeds_load_with_their_references(config):
    from hydra.utils import instantiate

    source = instantiate(config().dataset)
    ds = source.load()
    assert ds.column_names == ["id", "text", "references"]
    docs = to_documents(ds)
    assert [d.id for d in docs] == [p.stem for p in sorted((ROOT / "seeds").glob("*.txt"))]
    assert all(len(d.references) >= 2 for d in docs)
    # The configured cleaning drops the capture's boilerplate and headings, not the article.
    bmw = docs[1].text
    assert "Leave a Reply" not in bmw and "Your email address" not in bmw
    assert "Key Takeaways" not in bmw
    assert "380 billion yuan ($52 billion)" in bmw
    assert "PortAI" not in docs[2].text and "Author | Little Cat" not in docs[2].text


def test_cleaning_drops_matching_lines_and_short_headings_only():
    text = "Big News Heading\nThe company grew 7.8% in 2026.\nLeave a Reply\nShort but a sentence."
    assert clean_text(text, ["leave a reply"]) == (
        "Big News Heading\nThe company grew 7.8% in 2026.\nShort but a sentence."
    )
    assert clean_text(text, ["leave a reply"], drop_headings=True) == (
        "The company grew 7.8% in 2026.\nShort but a sentence."
    )


@pytest.fixture
def corpus(tmp_path):
    seeds, refs = tmp_path / "seeds", tmp_path / "refs"
    seeds.mkdir()
    (refs / "a").mkdir(parents=True)
    (seeds / "a.txt").write_text("Alpha rose 5%. It was a good day.\n")
    (seeds / "b.txt").write_text("Beta fell 3%. Nobody was surprised.\n")
    (refs / "a" / "short.txt").write_text("Alpha rose 5%.\n")
    return seeds, refs


def test_a_document_without_references_loads_with_a_warning(corpus, caplog):
    with caplog.at_level(logging.WARNING):
        docs = to_documents(seed_articles(*corpus).load())
    assert [d.references for d in docs] == [("Alpha rose 5%.",), ()]
    assert "b has no references" in caplog.text


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda s, r: (s / "b.txt").write_text("  \n"), "b.txt: empty file"),
        (lambda s, r: (s / "b.txt").write_bytes(b"caf\xe9 au lait"), "b.txt:1: not UTF-8 (byte 3)"),
        (lambda s, r: (r / "a" / "short.txt").write_text(""), "short.txt: empty file"),
        (lambda s, r: (r / "zzz").mkdir(), "zzz: references for an unknown document 'zzz'"),
        (lambda s, r: (r / "a" / "x.txt").write_bytes(b"\xff\xfe"), "x.txt:1: not UTF-8"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(corpus, damage, message):
    damage(*corpus)
    with pytest.raises(UsageError) as e:
        seed_articles(*corpus).load()
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_a_missing_seed_folder_names_the_setting(tmp_path):
    with pytest.raises(UsageError, match=r"dataset.seeds_dir: .* is not a folder"):
        seed_articles(tmp_path / "nope", tmp_path).load()


ROWS = [
    {"doc": "Gamma doubled to $4 billion.", "summ": "Gamma doubled.", "key": "g"},
    {"doc": "Delta cut 10% of jobs.", "summ": ["Delta cut jobs.", "Jobs cut by 10%."], "key": "d"},
]


def test_local_jsonl_with_custom_fields_and_several_references(tmp_path):
    path = tmp_path / "my.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    ds = HFDataset(str(path), text_field="doc", summary_field="summ", id_field="key").load()
    docs = to_documents(ds)
    assert [(d.id, d.text, d.references) for d in docs] == [
        ("g", "Gamma doubled to $4 billion.", ("Gamma doubled.",)),
        ("d", "Delta cut 10% of jobs.", ("Delta cut jobs.", "Jobs cut by 10%.")),
    ]
    assert len(HFDataset(str(path), text_field="doc", summary_field="summ", limit=1).load()) == 1


def test_local_csv_and_parquet(tmp_path):
    import datasets

    flat = datasets.Dataset.from_list([{"document": "Eps grew.", "summary": "Growth."}])
    flat.to_csv(tmp_path / "d.csv", index=False)
    flat.to_parquet(tmp_path / "d.parquet")
    for name in ("d.csv", "d.parquet"):
        (doc,) = to_documents(HFDataset(str(tmp_path / name)).load())
        assert (doc.id, doc.text, doc.references) == ("0", "Eps grew.", ("Growth.",))


def test_an_unknown_field_names_the_setting_and_the_columns(tmp_path):
    path = tmp_path / "my.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n")
    with pytest.raises(UsageError) as e:
        HFDataset(str(path), text_field="document", summary_field="summ").load()
    assert str(e.value) == (
        f"dataset.text_field='document' is not a column of {path} (columns: doc, summ, key)"
    )


def test_a_missing_local_file_names_the_setting(tmp_path):
    with pytest.raises(UsageError, match="dataset.path: no such file"):
        HFDataset(str(tmp_path / "nope.jsonl")).load()


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"document": "caf\xe9", "summary": "s"}\n', "x.jsonl:1: not UTF-8 (byte 17)"),
        (b"", "x.jsonl: empty file"),
        (b'{"document": "A text.", "summary": "s"}\n{oops\n', "x.jsonl:2: not valid JSON"),
        (b'{"document": " ", "summary": "s"}\n', "x.jsonl: row 1 (id 0): empty document"),
        (
            b'{"k": 1, "document": "A.", "summary": "s"}\n'
            b'{"k": 1, "document": "B.", "summary": "t"}\n',
            "x.jsonl: row 2 (id 1): the id is not unique",
        ),
    ],
)
def test_a_bad_local_file_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    id_field = "k" if b'"k"' in content else None
    with pytest.raises(UsageError) as e:
        HFDataset(str(path), id_field=id_field).load()
    assert message in str(e.value) and "\n" not in str(e.value)


def test_an_empty_or_missing_reference_is_no_reference_with_a_warning(tmp_path, caplog):
    path = tmp_path / "x.jsonl"
    rows = [{"document": "A.", "summary": ""}, {"document": "B.", "summary": None}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with caplog.at_level(logging.WARNING):
        documents = to_documents(HFDataset(str(path)).load())
    assert [d.references for d in documents] == [(), ()]
    assert "row 1 (id 0) has no reference" in caplog.text
    assert "row 2 (id 1) has no reference" in caplog.text
