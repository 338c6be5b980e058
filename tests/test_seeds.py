"""The benchmark's articles are the shared seeds, byte for byte."""

import hashlib

from harness import ROOT

SHA256 = {
    "000_fbf4d785a17cf4fa.txt": "fc118c0ee99fad467442c6149efb1f16249f984c7be1138830e51e840dde76d3",
    "001_2b311ddab08680f3.txt": "970d26cc89ad99e21bea65a84db45e8542faa751669dc024342c7d554cd61de9",
    "002_c89df86532b12a31.txt": "c627f0f4a049ee11bed2c82623853e30fc5336b18e121ffefd5261aa81223501",
    "003_e42acf85389a06ce.txt": "fd24e94df3739b22af73d8a971f96de4d3af6295d3855dbf709fb901cd3218c4",
}


def test_seed_files_are_byte_identical_to_the_shared_seeds():
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").iterdir()}
    assert found == SHA256


def test_every_seed_has_a_short_and_a_long_reference():
    for name in SHA256:
        folder = ROOT / "references" / name.removesuffix(".txt")
        refs = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}
        assert set(refs) >= {"abstract", "key_facts"}, folder
        assert 40 <= len(refs["abstract"].split()) <= 70, folder / "abstract.txt"
        assert 80 <= len(refs["key_facts"].split()) <= 120, folder / "key_facts.txt"
        for text in refs.values():
            assert all(line.strip() for line in text.strip().splitlines())
