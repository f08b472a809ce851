"""Chapter 5's data: an object-based model of sinuous sand channels in mud, in NumPy.

Each image is a ``size x size`` map of facies codes (0 mud, 1 sand; 2 levee when
:attr:`ChannelSpec.levee` > 0), float32, generated object by object:

* a channel is a sine-wave centre line ``v = a sin(2 pi u / wavelength + phase)`` in
  coordinates ``(u, v)`` rotated by its orientation ``theta`` (degrees from the image's
  horizontal axis, uniform in ``+-max_angle``), shifted by a uniform offset across the
  image, with a uniform amplitude, wavelength, phase and width;
* a pixel is sand when its distance to the centre line (measured perpendicular to the
  line, approximately: the vertical distance times the cosine of the local slope) is at
  most half the width; with a levee, a band of ``levee`` pixels beside the sand is code 2;
* channels are added until the sand proportion reaches a target drawn uniformly in
  ``proportion``; the last channel is kept only if it brings the proportion closer to
  the target.

Channels therefore run roughly along the image's horizontal axis (columns), so a
vertical "well" (one column of pixels) crosses each of them once. Everything random comes
from a :class:`numpy.random.Generator`: a seed fixes the images exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_positive_int


@dataclass(frozen=True)
class ChannelSpec:
    """Parameters of the channel model (ranges are uniform draws, in pixels or degrees)."""

    size: int = 64
    max_angle: float = 20.0  # orientation within +-max_angle degrees of the horizontal axis
    amplitude: tuple[float, float] = (2.0, 9.0)
    wavelength: tuple[float, float] = (24.0, 64.0)
    width: tuple[float, float] = (3.0, 7.0)
    proportion: tuple[float, float] = (0.25, 0.35)  # target sand proportion per image
    levee: float = 0.0  # width of a levee band (code 2) beside each channel; 0: none
    max_channels: int = 12

    def __post_init__(self) -> None:
        check_positive_int(self.size, "size")
        check_positive_int(self.max_channels, "max_channels")
        for name in ("amplitude", "wavelength", "width", "proportion"):
            lo, hi = getattr(self, name)
            if not 0 <= lo <= hi:
                raise ValueError(f"{name} must be a range (low, high) with 0 <= low <= high, got {(lo, hi)}")
        if self.wavelength[0] <= 0 or self.width[0] <= 0:
            raise ValueError("wavelength and width must be positive")
        if self.proportion[1] >= 1:
            raise ValueError(f"proportion must be below 1, got {self.proportion}")
        if not 0 <= self.max_angle <= 90 or self.levee < 0:
            raise ValueError(f"need 0 <= max_angle <= 90 and levee >= 0, got {self.max_angle}, {self.levee}")

    @property
    def n_facies(self) -> int:
        return 3 if self.levee > 0 else 2


MUD, SAND, LEVEE = 0, 1, 2


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates (x to the right, y down) relative to the image's centre."""
    c = np.arange(size, dtype=np.float32) - np.float32((size - 1) / 2)
    return np.meshgrid(c, c, indexing="xy")


def channel_distance(rng: np.random.Generator, spec: ChannelSpec, x: np.ndarray, y: np.ndarray):
    """One random channel: each pixel's distance to its centre line, and its half width."""
    theta = np.deg2rad(rng.uniform(-spec.max_angle, spec.max_angle))
    amp = rng.uniform(*spec.amplitude)
    wavelength = rng.uniform(*spec.wavelength)
    phase = rng.uniform(0, 2 * np.pi)
    half = rng.uniform(*spec.width) / 2
    offset = rng.uniform(-spec.size / 2, spec.size / 2)
    c, s = np.float32(np.cos(theta)), np.float32(np.sin(theta))
    k = np.float32(2 * np.pi / wavelength)
    arg = k * (x * c + y * s) + np.float32(phase)  # k u + phase, u along the channel
    v = y * c - x * s  # across the channel
    centre = np.float32(offset) + np.float32(amp) * np.sin(arg)
    slope = np.float32(amp) * k * np.cos(arg)
    return np.abs(v - centre) / np.sqrt(1 + slope * slope), half


def make_channel_image(rng: np.random.Generator, spec: ChannelSpec = ChannelSpec()) -> np.ndarray:
    """One ``(size, size)`` image of facies codes (float32), built as the module says."""
    x, y = _grid(spec.size)
    target = rng.uniform(*spec.proportion)
    image = np.zeros((spec.size, spec.size), dtype=np.float32)
    sand = np.zeros(image.shape, dtype=bool)
    for _ in range(spec.max_channels):
        dist, half = channel_distance(rng, spec, x, y)
        new_sand = sand | (dist <= half)
        before, after = sand.mean(), new_sand.mean()
        if before > 0 and after > target and after - target > target - before:
            break  # this channel would overshoot more than stopping undershoots
        if spec.levee > 0:
            image[(dist <= half + spec.levee) & ~new_sand & (image == MUD)] = LEVEE
        sand = new_sand
        if after >= target:
            break
    image[sand] = SAND
    return image


def make_channels(
    n: int = 4096, seed: int | np.random.Generator = 42, spec: ChannelSpec = ChannelSpec()
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` channel images, float32 ``(n, size, size)`` facies codes, and each image's sand
    proportion (the per-sample label)."""
    check_positive_int(n, "n")
    rng = np.random.default_rng(seed)
    images = np.stack([make_channel_image(rng, spec) for _ in range(int(n))])
    return images, (images == SAND).mean(axis=(1, 2)).astype(np.float32)


def to_facies_codes(x: np.ndarray, n_facies: int = 2) -> np.ndarray:
    """Continuous generator output (physical units) to facies codes: the nearest code in
    ``0..n_facies-1`` (for two facies: sand where the value is at least 0.5), float32."""
    return np.clip(np.floor(np.asarray(x, dtype=np.float32) + 0.5), 0, n_facies - 1).astype(np.float32)


def well_columns(columns, size: int = 64) -> np.ndarray:
    """The flat pixel indices of vertical wells at image columns ``columns`` (every row of
    each), in the order the observation operator reads them: well by well, top down."""
    cols = np.asarray(columns)
    if cols.ndim != 1 or not np.issubdtype(cols.dtype, np.integer) or len(set(cols.tolist())) != len(cols):
        raise ValueError(f"well columns must be distinct integers, got {columns!r}")
    if len(cols) == 0 or cols.min() < 0 or cols.max() >= size:
        raise ValueError(f"well columns must lie in 0..{size - 1}, got {cols.tolist()}")
    rows = np.arange(size)
    return (rows[None, :] * size + cols[:, None]).ravel()


def spread_wells(k: int, size: int = 64, margin: int = 6) -> np.ndarray:
    """``k`` well columns evenly spread across the image, ``margin`` pixels from its edges."""
    check_positive_int(k, "k")
    if k == 1:
        return np.array([size // 2])
    return np.linspace(margin, size - 1 - margin, k).round().astype(int)
