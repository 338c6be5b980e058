"""report.html at scale: size and time to write and to open a synthetic N-document run.

Builds a run folder as harness.run writes it (documents, generations, scores, the figure
tables) with N news-size articles made of the seed articles' sentences, six systems and two
references each, then measures:

- writing the report (``harness.report.write_report``), CPU seconds;
- the size of report.html and of report_files/ (document chunks loaded on demand);
- opening it in headless chromium: load event, and the document view drawn;
- the same for the report of an earlier commit (``--old REV``, default 4e6a130: one HTML page
  with every score in a table), on the same run, as the ratio's reference.

    python bench/bench_report.py --docs 10000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.text import split_sentences  # noqa: E402

SYSTEMS = ("lead", "random", "textrank", "lexrank", "centroid", "oracle")
MEASURES = {
    **dict.fromkeys(("rouge1", "rouge2", "rougeL", "rougeLsum"), True),
    **dict.fromkeys(("figure_precision", "figure_recall", "figure_f1"), True),
    **dict.fromkeys(("extractive_coverage", "extractive_density", "extractive_compression")),
}
FIGURE = re.compile(r"\$?\d[\d,.]*\s*(?:%|percent|billion|million)?")


def write_run(folder: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    sentences = [
        s for p in sorted((ROOT / "seeds").glob("*.txt")) for s in split_sentences(p.read_text())
    ]
    folder.mkdir(parents=True)
    files = {name: open(folder / name, "w") for name in  # noqa: SIM115 (closed below)
             ("documents.jsonl", "generations.jsonl", "scores.jsonl", "figures.jsonl",
              "unsupported_figures.jsonl")}  # fmt: skip
    for i in range(n):
        doc_id = f"d{i:05d}"
        article = " ".join(rng.sample(sentences, 30))  # about 4 KB, CNN/DailyMail's mean
        refs = [" ".join(rng.sample(sentences, 3)) for _ in range(2)]
        ids = {"doc_id": doc_id, "dataset": "synthetic"}
        files["documents.jsonl"].write(
            json.dumps({**ids, "text": article, "references": refs}) + "\n"
        )
        for system in SYSTEMS:
            summary = " ".join(rng.sample(sentences, 3))
            row = {**ids, "system": system, "prompt": "abstract"}
            files["generations.jsonl"].write(
                json.dumps({**row, "summary": summary, "error": None}) + "\n"
            )
            scores = {m: rng.random() for m in MEASURES}
            files["scores.jsonl"].write(json.dumps({**row, "words": 60, **scores}) + "\n")
            for m in FIGURE.finditer(summary):
                ok = rng.random() < 0.9
                fig = {**row, "text": m.group(), "supported": ok, "kind": "count",
                       "start": m.start(), "end": m.end(), "source": m.group() if ok else None,
                       "nearest": None if ok else m.group(), "reason": None if ok else "value",
                       "source_start": 0, "source_end": 1}  # fmt: skip
                files["figures.jsonl"].write(json.dumps(fig) + "\n")
                if not ok:
                    bad = {**row, "text": m.group(), "start": m.start(), "end": m.end(),
                           "sentence": summary, "kind": "count", "nearest": m.group(),
                           "reason": "value"}  # fmt: skip
                    files["unsupported_figures.jsonl"].write(json.dumps(bad) + "\n")
    for f in files.values():
        f.close()
    info = {"dataset": "synthetic", "prompt": "abstract", "documents": n, "measures": MEASURES,
            "systems": {s: {"documents": n, "failures": 0, "errors": []} for s in SYSTEMS},
            "reads_references": ["oracle"]}  # fmt: skip
    (folder / "run.json").write_text(json.dumps(info))


def old_report(rev: str):
    """harness/report.py as it was at ``rev`` (one module), or None when git cannot show it."""
    try:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:harness/report.py"],
                                capture_output=True, text=True, check=True).stdout  # fmt: skip
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    path = Path(tempfile.mkdtemp()) / "old_report.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_report", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_report"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def timed(fn):
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def open_in_browser(page: Path, wait_for: str | None) -> dict:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={tempfile.mkdtemp()}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(shutil.which("chromedriver"))
    )
    try:
        driver.set_page_load_timeout(600)
        start = time.perf_counter()
        driver.get(page.as_uri())
        loaded = time.perf_counter() - start
        drawn = None
        if wait_for:
            WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, wait_for))
            drawn = time.perf_counter() - start
            start = time.perf_counter()
            driver.find_element(By.ID, "doc-next").click()
            WebDriverWait(driver, 120).until(
                lambda d: d.find_element(By.ID, "doc-select").get_attribute("value") == "1"
            )
            next_doc = time.perf_counter() - start
            return {"load_s": loaded, "document_view_s": drawn, "next_document_s": next_doc}
        return {"load_s": loaded}
    finally:
        driver.quit()


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return path.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--old", default="4e6a130", help="the earlier commit to compare with")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    from harness import report

    tmp = Path(tempfile.mkdtemp())
    run = tmp / "run"
    write_run(run, args.docs)
    merged, load_cpu = timed(lambda: report.load_runs([run]))
    page, write_cpu = timed(lambda: report.write_report(merged, tmp / "new"))
    results = {"documents": args.docs, "summaries": len(merged.scores),
               "new": {"load_cpu_s": load_cpu, "write_cpu_s": write_cpu,
                       "report_html_mb": size_mb(page),
                       "report_files_mb": size_mb(tmp / "new" / "report_files")
                       if (tmp / "new" / "report_files").exists() else 0.0}}  # fmt: skip
    if not args.no_browser:
        results["new"].update(open_in_browser(page, "#doc-view .card"))
    old = old_report(args.old)
    if old is not None:
        old_merged, old_load = timed(lambda: old.load_runs([run]))
        old_page, old_write = timed(lambda: old.write_report(old_merged, tmp / "old"))
        results["old"] = {"rev": args.old, "load_cpu_s": old_load, "write_cpu_s": old_write,
                          "report_html_mb": size_mb(old_page)}  # fmt: skip
        if not args.no_browser:
            results["old"].update(open_in_browser(old_page, None))
    print(json.dumps(results, indent=2))
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
