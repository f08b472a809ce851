"""Chapter 1's explorer: it draws a run it is given instead of training it again."""

from unittest import mock

import matplotlib

matplotlib.use("Agg")

from gan_utils import get_recipe, train, widgets  # noqa: E402


def test_explorer_draws_a_given_run_without_retraining_and_retrains_when_it_differs():
    recipe = get_recipe("toy-2d-gan").replace(steps=20)
    trained = train(recipe, seed=0, snapshot_every=10, progress=False)
    with mock.patch.object(widgets, "train", side_effect=AssertionError("retrained")):
        widgets.toy_gan_explorer(recipe, trained=trained)  # the first draw reuses it
    with mock.patch.object(widgets, "train", wraps=train) as retrain:
        widgets.toy_gan_explorer(recipe, seed=1, trained=trained)  # another seed: retrain
    assert retrain.call_count == 1
