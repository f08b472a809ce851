import math

import pytest
import torch
from torch import nn

from gan_utils.losses import LOSSES, get_loss, gradient_penalty

t = torch.tensor


def test_minimax_and_nonsaturating_by_hand():
    # score 0 means D = 1/2: BCE of real and fake both log 2
    zero = t([0.0, 0.0])
    assert get_loss("minimax").d_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    assert get_loss("minimax").g_loss(zero).item() == pytest.approx(-math.log(2))
    assert get_loss("nonsaturating").g_loss(zero).item() == pytest.approx(math.log(2))
    # D(G(z)) = sigmoid(-3): minimax G loss log(1 - D), non-saturating -log D
    s = t([-3.0])
    d = 1 / (1 + math.exp(3))
    assert get_loss("minimax").g_loss(s).item() == pytest.approx(math.log(1 - d), rel=1e-5)
    assert get_loss("nonsaturating").g_loss(s).item() == pytest.approx(-math.log(d), rel=1e-5)


def test_least_squares_by_hand():
    ls = get_loss("least-squares")
    assert ls.d_loss(t([1.0, 1.0]), t([0.0])).item() == 0
    assert ls.d_loss(t([0.0]), t([1.0])).item() == pytest.approx(1.0)
    assert ls.d_loss(t([0.5]), t([0.5])).item() == pytest.approx(0.25)
    assert ls.g_loss(t([0.0, 0.0])).item() == pytest.approx(0.5)
    assert ls.g_loss(t([1.0])).item() == 0


def test_wasserstein_by_hand():
    w = get_loss("wasserstein")
    assert w.d_loss(t([2.0]), t([1.0, 3.0])).item() == 0
    assert w.d_loss(t([1.0]), t([4.0])).item() == pytest.approx(3.0)
    assert w.g_loss(t([1.0, 3.0])).item() == pytest.approx(-2.0)


def test_saturation_gradients():
    """d(G loss)/d(score): minimax -D (vanishes as D -> 0), non-saturating -(1 - D)."""
    s = t([-6.0], requires_grad=True)
    d = torch.sigmoid(s).item()
    (g_mm,) = torch.autograd.grad(get_loss("minimax").g_loss(s), s)
    (g_ns,) = torch.autograd.grad(get_loss("nonsaturating").g_loss(s), s)
    assert g_mm.item() == pytest.approx(-d, rel=1e-4)
    assert g_ns.item() == pytest.approx(-(1 - d), rel=1e-4)
    assert abs(g_mm.item()) < 0.01 < abs(g_ns.item())


@pytest.mark.parametrize("norm, expected", [(1.0, 0.0), (2.0, 1.0), (0.5, 0.25)])
def test_gradient_penalty_of_a_linear_critic(norm, expected):
    critic = nn.Linear(3, 1)
    with torch.no_grad():
        critic.weight.copy_(t([[norm, 0.0, 0.0]]))
    real, fake = torch.randn(16, 3), torch.randn(16, 3)
    assert gradient_penalty(critic, real, fake).item() == pytest.approx(expected, abs=1e-6)


def test_gradient_penalty_shape_mismatch_is_clear():
    with pytest.raises(ValueError, match="differ in shape"):
        gradient_penalty(nn.Linear(2, 1), torch.zeros(4, 2), torch.zeros(5, 2))


def test_every_loss_documents_its_formula():
    for loss in LOSSES.values():
        assert type(loss).__doc__ and "math" in type(loss).__doc__
    with pytest.raises(ValueError, match="unknown loss"):
        get_loss("hinge")
