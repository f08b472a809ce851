"""Chapter 5's channel model, its data-set entry and its networks."""

import time

import numpy as np
import pytest
import torch
from scipy import ndimage

from gan_utils.data import get_dataset, load_dataset
from gan_utils.facies import ChannelSpec, make_channels, spread_wells, to_facies_codes, well_columns
from gan_utils.models import build
from gan_utils.recipes import get_recipe


def test_channel_images_have_the_specified_shape_codes_and_sand_proportion():
    images, proportion = make_channels(512, seed=3)
    assert images.shape == (512, 64, 64) and images.dtype == np.float32
    assert set(np.unique(images)) == {0.0, 1.0}
    assert np.allclose(proportion, images.mean(axis=(1, 2)))
    assert 0.27 < proportion.mean() < 0.33 and np.median(np.abs(proportion - 0.30)) < 0.04
    assert np.mean((proportion > 0.2) & (proportion < 0.42)) > 0.98


def test_a_seed_fixes_the_images_and_new_seeds_are_fresh():
    a, _ = make_channels(8, seed=7)
    b, _ = make_channels(8, seed=7)
    c, _ = make_channels(8, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    # the first images of a larger set are the same draws
    assert np.array_equal(make_channels(16, seed=7)[0][:8], a)


def test_channels_run_along_the_horizontal_axis_and_each_well_crosses_them():
    images, _ = make_channels(200, seed=1)
    # indicator correlation at lag 4: higher along rows (the flow direction) than down columns
    along = np.mean(images[:, :, 4:] == images[:, :, :-4])
    across = np.mean(images[:, 4:, :] == images[:, :-4, :])
    assert along > across + 0.1
    # most sand lies in bodies that touch both the left and the right edge
    spanning = []
    for im in images:
        lab, _ = ndimage.label(im == 1)
        both = (set(lab[:, 0]) & set(lab[:, -1])) - {0}
        spanning.append(np.isin(lab, list(both)).sum() / (im == 1).sum())
    assert np.mean(spanning) > 0.8
    # a well (one column) sees sand in almost every image
    assert np.mean(images[:, :, 32].max(axis=1) == 1) > 0.9


def test_levee_is_a_third_facies_beside_the_sand():
    images, _ = make_channels(20, seed=2, spec=ChannelSpec(levee=2.0))
    assert set(np.unique(images)) == {0.0, 1.0, 2.0}
    levee = images == 2
    near_sand = ndimage.binary_dilation(images == 1, iterations=3)
    assert levee[~near_sand].sum() < 0.01 * levee.sum()  # (a channel's sand may lie off the image)


def test_4096_images_in_a_few_seconds():
    start = time.process_time()  # CPU time: a shared machine's load does not inflate it
    make_channels(4096, seed=0)
    assert time.process_time() - start < 20  # about 4 s


@pytest.mark.parametrize(
    "changes",
    [
        dict(proportion=(0.3, 0.2)),
        dict(width=(0.0, 3.0)),
        dict(max_angle=120.0),
        dict(levee=-1.0),
        dict(size=0),
    ],
)
def test_bad_channel_specs_are_clear_errors(changes):
    with pytest.raises(ValueError):
        ChannelSpec(**changes)


def test_registered_data_set_shape_decode_and_observation_operator():
    spec = get_dataset("channels")
    data = load_dataset("channels", 16, seed=1)
    assert spec.shape == (64, 64) and data.physical.shape == (16, 64, 64)
    assert np.array_equal(data.train, data.physical)  # trains on the codes themselves
    assert np.array_equal(spec.to_values(np.array([0.2, 0.49, 0.5, 0.93])), [0, 0, 1, 1])
    assert np.array_equal(to_facies_codes(np.array([-0.3, 1.6, 2.7]), 3), [0, 2, 2])
    wells = well_columns([10, 50])
    observed = spec.observe(data.physical, wells)
    assert observed.shape == (16, 128)
    assert np.array_equal(observed[:, :64], data.physical[:, :, 10])
    assert np.array_equal(observed[:, 64:], data.physical[:, :, 50])
    assert spec.statistics_ok(data.physical, data.physical)
    assert not spec.statistics_ok(data.physical, np.zeros_like(data.physical))


def test_well_columns_checks():
    assert list(spread_wells(3)) == [6, 32, 57] and list(spread_wells(1)) == [32]
    for bad in ([], [3, 3], [70], [1.5]):
        with pytest.raises(ValueError):
            well_columns(bad)


@pytest.mark.parametrize("name", ["channels-dcgan", "channels-gan"])
def test_chapter_5_networks_make_64_by_64_maps_in_0_1(name):
    recipe = get_recipe(name)
    G, D = build(recipe.generator), build(recipe.discriminator)
    G.eval()
    x = G(torch.randn(3, recipe.latent_dim))
    assert x.shape == (3, 64, 64) and x.min() >= 0 and x.max() <= 1
    assert D(x).shape == (3, 1)
