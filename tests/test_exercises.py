"""gan_utils.solution folds a solution's printed text and figures into one collapsed block."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from gan_utils import exercises  # noqa: E402


def test_printed_text_and_figures_go_into_the_fold(monkeypatch):
    shown = []
    monkeypatch.setattr(exercises, "_display_html", lambda markup, text: shown.append((markup, text)))
    before = plt.get_fignums()
    with exercises.solution("Answer"):
        print("the answer is <42>")
        plt.plot([0, 1])
        plt.show()
    ((markup, text),) = shown
    assert markup.startswith("<details><summary>Answer</summary>") and markup.endswith("</details>")
    assert "the answer is &lt;42&gt;" in markup and text == "the answer is <42>\n"
    assert markup.count('src="data:image/png;base64,') == 1
    assert plt.get_fignums() == before, "the solution's figures are closed, shown only in the fold"
    assert plt.show is not None and plt.show.__name__ == "show"


def test_an_error_is_raised_after_the_fold(monkeypatch):
    shown = []
    monkeypatch.setattr(exercises, "_display_html", lambda markup, text: shown.append(text))
    with pytest.raises(ZeroDivisionError), exercises.solution():
        print("half way")
        1 / 0  # noqa: B018
    assert shown == ["half way\n"]


def test_bad_summary():
    with pytest.raises(ValueError, match="summary"), exercises.solution(""):
        pass
