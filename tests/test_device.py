"""The course runs on the CPU by default, and its code works when the networks are on
another device (a Colab GPU runtime), checked without a GPU two ways:

- statically, by tools/device_check.py: no tensor made on the CPU is fed to a network
  without ``.to(device)``, and no network output reaches ``.numpy()`` without ``.cpu()``;
  over gan_utils/ (must be clean) and over the notebooks' code cells;
- dynamically, with the networks on PyTorch's ``meta`` device (shapes, no data): the
  plotting helpers must move their inputs there and bring results back with ``.cpu()``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from gan_utils import plots  # noqa: E402
from gan_utils.losses import get_loss, gradient_penalty, r1_penalty  # noqa: E402
from gan_utils.models import ModelSpec, build, device_of  # noqa: E402
from gan_utils.train import default_device, setup  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("device_check", ROOT / "tools" / "device_check.py")
device_check = importlib.util.module_from_spec(_spec)
sys.modules["device_check"] = device_check  # dataclasses look their module up there
_spec.loader.exec_module(device_check)


# ----------------------------------------------------------------------------- setup()


def test_setup_returns_the_cpu_by_default_even_with_a_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # as on a Colab GPU runtime
    assert setup(0) == torch.device("cpu")
    assert setup(0, device="cpu") == torch.device("cpu") == default_device()


def test_setup_cuda_only_when_asked_and_available(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no CUDA GPU.*device='cpu'"):
        setup(0, device="cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert setup(0, device="cuda") == torch.device("cuda")
    with pytest.raises(ValueError, match="only 1 CUDA device"):
        setup(0, device="cuda:1")
    for bad in ("tpu", "gpu", 3.5, "meta"):
        with pytest.raises(ValueError, match="device must be 'cpu' or 'cuda'"):
            setup(0, device=bad)


def test_device_of():
    net = build(ModelSpec((2, 4, 1)))
    assert device_of(net) == torch.device("cpu")
    assert device_of(net.to("meta")) == torch.device("meta")
    assert device_of(torch.nn.Identity()) == torch.device("cpu")


# ----------------------------------------------------------------------------- networks on another device


@pytest.fixture
def cpu_copies_of_meta_tensors(monkeypatch):
    """``.cpu()`` of a meta tensor gives zeros of its shape (a meta tensor has no data), so
    a helper that moves inputs to the networks' device and brings outputs back runs to the
    end; one that forgets either fails (device mismatch, or .numpy() of a meta tensor)."""
    real_cpu = torch.Tensor.cpu
    calls = []

    def cpu(self, *args, **kwargs):
        if self.device.type == "meta":
            calls.append(tuple(self.shape))
            return torch.zeros(self.shape, dtype=self.dtype)
        return real_cpu(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "cpu", cpu)
    return calls


def _meta_pair(dim: int = 2, latent: int = 3):
    torch.manual_seed(0)
    return build(ModelSpec((latent, 8, dim))).to("meta"), build(ModelSpec((dim, 8, 1))).to("meta")


def test_plot_game_2d_with_networks_on_another_device(cpu_copies_of_meta_tensors):
    G, D = _meta_pair()
    z = torch.randn(16, 3)  # made on the CPU, as the notebooks and widgets make it
    fig, ax = plt.subplots()
    plots.plot_game_2d(ax, G, D, get_loss("nonsaturating"), np.zeros((4, 2), np.float32), z, n_grid=5)
    plt.close(fig)
    # the surface (25 grid points), the generated points and their gradients came back
    assert sorted(cpu_copies_of_meta_tensors) == [(16, 2), (16, 2), (25, 1)]


def test_plot_critic_map_with_networks_on_another_device(cpu_copies_of_meta_tensors):
    from gan_utils.data import load_dataset

    G, D = _meta_pair()
    data = load_dataset("crossplot", n=64)
    fig, ax = plt.subplots()
    plots.plot_critic_map(ax, G, D, get_loss("wasserstein"), data, torch.randn(8, 3), n_grid=4)
    plt.close(fig)
    assert sorted(cpu_copies_of_meta_tensors) == [(8, 2), (8, 2), (16, 1)]


def test_penalties_move_the_batch_to_the_network():
    _, D = _meta_pair()
    real, fake = torch.randn(5, 2), torch.randn(5, 2)  # CPU batches, meta critic
    assert gradient_penalty(D, real, fake).device.type == "meta"
    assert r1_penalty(D, real).device.type == "meta"


# ----------------------------------------------------------------------------- the static check


BUGGY_PLOT = """
def plot_game_2d(ax, G: nn.Module, D: nn.Module, loss, real, z, n_grid=80):
    g = np.linspace(-3, 3, n_grid, dtype=np.float32)
    xx, yy = np.meshgrid(g, g)
    grid = torch.from_numpy(np.stack([xx.ravel(), yy.ravel()], axis=1))
    with torch.no_grad():
        surface = loss.display(D(grid)).numpy().reshape(n_grid, n_grid)
"""


def test_check_catches_a_cpu_tensor_fed_to_a_network():
    """plots.plot_game_2d before the fix: D(torch.from_numpy(grid)), then .numpy()."""
    found = device_check.check_source(BUGGY_PLOT, "old_plots.py")
    assert [(f.line, f.rule.split(" (")[0]) for f in found] == [
        (7, "host tensor fed to a network"),
        (7, "network output to NumPy without .cpu()"),
    ]
    fixed = BUGGY_PLOT.replace("axis=1))", "axis=1)).to(device_of(D))").replace(".numpy()", ".cpu().numpy()")
    assert device_check.check_source(fixed, "new_plots.py") == []


@pytest.mark.parametrize(
    ("code", "n"),
    [
        ("z = torch.randn(4, 8)\nx = G(z)", 1),
        ("z = torch.randn(4, 8, device=device)\nx = G(z)", 0),
        ("z = torch.randn(4, 8)\nx = G(z.to(device)).cpu().numpy()", 0),
        ("g = run.generator_at(3)\nx = g(torch.as_tensor(logs))", 1),
        ("g = run.generator.shadow\ny = g(z.to(d))\nout = y.numpy()", 1),
        ("D = build(spec)\ns = D(torch.from_numpy(a)).detach().numpy()", 0),  # built on the CPU here
        ("D = build(spec).to(dev)\ns = D(torch.from_numpy(a))", 1),
        ("def f(G: nn.Module, z):\n    return G(z)", 1),  # a caller's tensor may live anywhere
        ("def f(z):\n    def g(w):\n        return G(w)\n    return g(z.to(d))", 0),
        ("x = G(z0.to(d))\nv = float(D(x).mean().item())", 0),
    ],
)
def test_check_rules(code, n):
    found = device_check.check_source(code, "snippet.py")
    assert len(found) == n, found


def test_check_reads_notebook_cells(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("%pip install x\nz = torch.randn(3, 2)"),
            nbformat.v4.new_markdown_cell("text"),
            nbformat.v4.new_code_cell("G = result.generator\nwith torch.no_grad():\n    x = G(z)"),
        ]
    )
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    [finding] = device_check.check_notebook(path)
    assert (finding.where, finding.line) == ("nb.ipynb[cell 2]", 3)


def test_package_is_device_safe():
    found = device_check.check_paths([ROOT / "gan_utils"])
    assert not found, "\n".join(map(str, found))


def test_notebook_cells_are_device_safe():
    """Every chapter's code cells (tools/build_chN.py writes them): run on a GPU runtime,
    a CPU tensor fed to a network on the GPU stops the chapter."""
    found = device_check.check_paths(sorted((ROOT / "book").glob("*.ipynb")))
    assert not found, "cells that fail when the networks are on a GPU:\n" + "\n".join(map(str, found))
