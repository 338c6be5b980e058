"""The gate and diagnostics (measures with no direction: shown, never gated)."""

from __future__ import annotations

from test_check import SCORES, check, write_run
from test_check import gate as gate  # noqa: F401 (a fixture)
from test_report import MEASURES

WITH_DIAGNOSTIC = {**MEASURES, "density": None}


def with_density(value: float) -> dict:
    return {s: {d: {**v, "density": value} for d, v in ds.items()} for s, ds in SCORES.items()}


def test_a_nan_diagnostic_is_a_warning_and_the_gate_passes(gate, capsys):
    baseline, tmp = gate
    run = write_run(tmp / "nan", with_density(float("nan")), measures=WITH_DIAGNOSTIC)
    assert check(baseline, run) == 0
    captured = capsys.readouterr()
    assert "warning: lead/abstract/seeds density: mean is nan (a diagnostic, not gated)" in (
        captured.err
    )
    assert "gate: " in captured.out and " 0 failed" in captured.out


def test_a_nan_gated_measure_still_fails_beside_a_diagnostic(gate, capsys):
    baseline, tmp = gate
    scores = with_density(1.0)
    scores["lead"]["d0"]["rouge1"] = float("nan")
    assert check(baseline, write_run(tmp / "nan", scores, measures=WITH_DIAGNOSTIC)) == 2
    assert "lead/abstract/seeds rouge1: mean is nan" in capsys.readouterr().err


def test_a_tolerance_for_a_diagnostic_is_refused_naming_the_setting(gate, capsys):
    baseline, tmp = gate
    run = write_run(tmp / "same", with_density(1.0), measures=WITH_DIAGNOSTIC)
    for text, key in [
        ("measures: {density: 0.1}", "measures.density"),
        ("systems: {lead: {density: 0.1}}", "systems.lead.density"),
    ]:
        tolerances = tmp / "check.yaml"
        tolerances.write_text(text + "\n")
        assert check(baseline, run, "--tolerances", str(tolerances)) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert lines == [
            f"summbench-check: error: {tolerances}: {key}: density is a diagnostic (no better "
            "or worse direction), which the gate never checks; remove its tolerance"
        ]
    # A gated measure's tolerance is still taken.
    tolerances.write_text("measures: {rouge1: 0.1}\n")
    assert check(baseline, run, "--tolerances", str(tolerances)) == 0
