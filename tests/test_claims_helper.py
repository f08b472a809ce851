"""gan_utils.expect: one line under the tests, a note in a student's session, nothing shown
when the claim holds."""

import pytest

from gan_utils import ClaimNotMet, expect


def test_strict_raises_one_line(monkeypatch):
    monkeypatch.setenv("GAN_UTILS_CLAIMS", "strict")
    assert expect(0.6 > 0.5, "above one half") is None
    with pytest.raises(ClaimNotMet) as info:
        expect(0.3 > 0.5, "the run ends above one half", value=0.3, bound=0.5)
    assert str(info.value) == "claim not met: the run ends above one half; value 0.3; bound 0.5"
    assert "\n" not in str(info.value)


def test_a_students_run_gets_a_note(monkeypatch, capsys):
    monkeypatch.setenv("GAN_UTILS_CLAIMS", "note")
    assert expect(False, "three modes survive", value=2, bound=3) is None
    out = capsys.readouterr().out
    assert out.startswith("Note: your run differs from the text here. The text says: three modes survive")
    assert "value 2; bound 3" in out and out.count("\n") == 1


def test_a_claim_needs_words():
    with pytest.raises(ValueError, match="claim"):
        expect(True, "  ")
