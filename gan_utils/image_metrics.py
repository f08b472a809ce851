r"""Statistics of 2-D facies images, and the evaluation protocol built on them.

Every function takes images as an array of shape ``(n, H, W)`` of integer facies codes
(chapter 5: 0 mud, 1 sand, 2 levee); "sand" is code ``sand=1`` unless told otherwise.
Distances and lags are in pixels.

**Directions.** An ``angle`` is in degrees, measured from the column axis (axis 2, "x",
left to right) towards the row axis (axis 1, "y", increasing row index): 0 runs along a
row, 90 down a column. A step of length h along ``angle`` moves by
``(drow, dcol) = (h sin angle, h cos angle)`` pixels. Shown with ``imshow`` (row 0 at the
top) a positive angle turns clockwise from the horizontal. Variograms and chords do not
see the sign of a direction, so ``angle`` and ``angle + 180`` are the same.

The statistics (sand proportion, indicator variograms, connected bodies, chord lengths,
multiple-point patterns, nearest training image, a classifier test, reliability) each
come beside their real-vs-real tolerance in :func:`facies_report`, as
:func:`gan_utils.metrics.well_log_report` does for well logs.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from .checks import check_choice, check_positive_int, check_scalar
from .metrics import difference_tolerance, distance_limit

__all__ = [
    "as_facies",
    "sand_proportion",
    "direction_offsets",
    "indicator_variogram",
    "sand_bodies",
    "spanning_fraction",
    "wells_connected",
    "chord_lengths",
    "chord_length_distance",
    "pattern_histogram",
    "pattern_distance",
    "nearest_hamming",
    "memorisation",
    "image_features",
    "classifier_test",
    "observed_mask",
    "reliability",
    "facies_tolerances",
    "facies_report",
    "facies_protocol",
]

# ----------------------------------------------------------------------------- checks


def as_facies(images, name: str = "images") -> np.ndarray:
    """``images`` as an ``int64`` array ``(n, H, W)`` of non-negative facies codes, or a
    one-line ``ValueError`` (wrong shape, empty, NaN, non-integer or negative values).
    Float arrays holding whole numbers (0.0, 1.0, ...) are accepted."""
    x = np.asarray(images)
    if x.ndim != 3 or min(x.shape) < 1:
        raise ValueError(f"{name} must be an array of shape (n, H, W), got shape {x.shape}")
    if x.dtype == bool:
        return x.astype(np.int64)
    if not np.issubdtype(x.dtype, np.number):
        raise ValueError(f"{name} must hold integer facies codes, got dtype {x.dtype}")
    if not np.issubdtype(x.dtype, np.integer):
        if not np.isfinite(x).all():
            raise ValueError(f"{name} contain NaN or infinite values")
        if not np.array_equal(x, np.round(x)):
            raise ValueError(f"{name} must hold integer facies codes (0 mud, 1 sand, ...), got fractions")
    x = x.astype(np.int64)
    if x.min() < 0:
        raise ValueError(f"{name} must hold non-negative facies codes, got {x.min()}")
    return x


def _check_code(sand: object) -> int:
    return check_scalar(sand, "sand", minimum=0, detail="facies code")


def _check_angle(angle: object) -> float:
    return check_scalar(angle, "angle", integer=False, detail="of degrees")


def _same_size(a: np.ndarray, b: np.ndarray, names: str) -> None:
    if a.shape[1:] != b.shape[1:]:
        raise ValueError(f"{names} differ in image size: {a.shape[1:]} vs {b.shape[1:]}")


def _indicator(images, sand) -> np.ndarray:
    return as_facies(images) == _check_code(sand)


# ----------------------------------------------------------------------------- proportion


def sand_proportion(images, sand: int = 1) -> np.ndarray:
    """Fraction of pixels of facies ``sand`` in each image, shape ``(n,)`` (no unit)."""
    return _indicator(images, sand).mean(axis=(1, 2))


# ----------------------------------------------------------------------------- variograms


def direction_offsets(angle: float, max_lag: int) -> np.ndarray:
    """Integer pixel offsets ``(drow, dcol)`` for lags h = 1..``max_lag`` along ``angle``:
    ``round(h sin angle), round(h cos angle)``, shape ``(max_lag, 2)``. Exact for 0 and
    90 degrees; for other angles the true lag of row h is its Euclidean norm, which
    differs from h by at most 0.71 pixel."""
    angle, max_lag = _check_angle(angle), check_positive_int(max_lag, "max_lag")
    h = np.arange(1, max_lag + 1)
    t = np.deg2rad(angle)
    return np.stack([np.rint(h * np.sin(t)), np.rint(h * np.cos(t))], axis=1).astype(int)


def _shift_semivariance(ind: np.ndarray, dr: int, dc: int, per_image: bool = False):
    """Half the fraction of pixel pairs (x, x + (dr, dc)) inside the image that differ:
    pooled over the stack, or one value per image."""
    n, rows, cols = ind.shape
    if abs(dr) >= rows or abs(dc) >= cols:
        raise ValueError(f"offset ({dr}, {dc}) does not fit in images of size {rows}x{cols}")
    a = ind[:, max(0, -dr) : rows - max(0, dr), max(0, -dc) : cols - max(0, dc)]
    b = ind[:, max(0, dr) : rows - max(0, -dr), max(0, dc) : cols - max(0, -dc)]
    differ = a != b
    return 0.5 * differ.mean(axis=(1, 2)) if per_image else 0.5 * float(differ.mean())


def indicator_variogram(images, angle: float = 0.0, max_lag: int = 20, sand: int = 1) -> dict:
    r"""Experimental semivariograms of the sand indicator I (1 where the facies is
    ``sand``, 0 elsewhere) along ``angle`` and across it (``angle + 90``), pooled over
    all images and all pixel pairs that fit in the image:

    .. math:: \gamma(\mathbf h) = \tfrac12\,\mathrm{mean}\,[I(\mathbf x + \mathbf h) - I(\mathbf x)]^2,

    for the offsets h of :func:`direction_offsets` (lags 1..``max_lag`` pixels). The
    semivariance of an indicator is the probability that two pixels a lag apart differ,
    halved; it rises from 0 towards its sill p(1 - p). Returns ``{"lags": (L,),
    "along": (L,), "across": (L,)}``. This is the lag-shift estimator on the grid: for
    0 and 90 degrees it gives the same numbers as :func:`gstools.vario_estimate_axis`
    (averaged over images; a test checks it), and it also works along oblique
    directions, without :func:`gstools.vario_estimate`'s O(N²) pair search."""
    ind = _indicator(images, sand)
    max_lag = check_positive_int(max_lag, "max_lag")
    if max_lag >= min(ind.shape[1:]):
        raise ValueError(f"max_lag must be below the image size {min(ind.shape[1:])}, got {max_lag}")
    angle = _check_angle(angle)
    out = {"lags": np.arange(1, max_lag + 1)}
    for key, a in (("along", angle), ("across", angle + 90.0)):
        out[key] = np.array([_shift_semivariance(ind, dr, dc) for dr, dc in direction_offsets(a, max_lag)])
    return out


# ----------------------------------------------------------------------------- connectivity

_STRUCTURES = {4: ndimage.generate_binary_structure(2, 1), 8: ndimage.generate_binary_structure(2, 2)}


def _label(ind: np.ndarray, connectivity: int) -> tuple[np.ndarray, int]:
    """Components of each image of a boolean stack, labelled in one call: the structure
    joins pixels within an image only, so every label belongs to one image."""
    if connectivity not in _STRUCTURES:
        raise ValueError(f"connectivity must be 4 or 8, got {connectivity!r}")
    structure = np.zeros((3, 3, 3), dtype=bool)
    structure[1] = _STRUCTURES[connectivity]
    return ndimage.label(ind, structure=structure)


def sand_bodies(images, sand: int = 1, connectivity: int = 4) -> np.ndarray:
    """Number of sand bodies per image, shape ``(n,)``: connected components of the sand
    indicator (:func:`scipy.ndimage.label`); ``connectivity`` 4 joins pixels that share an
    edge, 8 also those that share a corner."""
    labels, count = _label(_indicator(images, sand), connectivity)
    first = ndimage.find_objects(labels)  # one slice triple per label, in label order
    per_image = np.zeros(len(labels), dtype=int)
    np.add.at(per_image, [s[0].start for s in first], 1)
    return per_image


SPANS = ("x", "y", "either", "both")


def spanning_fraction(images, span: str = "x", sand: int = 1, connectivity: int = 4) -> np.ndarray:
    """Per image, the fraction of its sand pixels that lie in components spanning the
    image, shape ``(n,)``; 0 for an image without sand. ``span``: ``"x"`` a component
    touching both the left and right edges (first and last column), ``"y"`` both the top
    and bottom edges, ``"either"`` one of the two, ``"both"`` both. Components from
    :func:`scipy.ndimage.label` with 4- (default) or 8-connectivity."""
    check_choice(span, SPANS, "span")
    ind = _indicator(images, sand)
    labels, count = _label(ind, connectivity)
    touches = {}
    for key, edges in (("left", labels[:, :, 0]), ("right", labels[:, :, -1])):
        touches[key] = np.zeros(count + 1, dtype=bool)
        touches[key][edges] = True
    for key, edges in (("top", labels[:, 0, :]), ("bottom", labels[:, -1, :])):
        touches[key] = np.zeros(count + 1, dtype=bool)
        touches[key][edges] = True
    x = touches["left"] & touches["right"]
    y = touches["top"] & touches["bottom"]
    spans = {"x": x, "y": y, "either": x | y, "both": x & y}[span]
    spans[0] = False  # background
    spanning = spans[labels].sum(axis=(1, 2))
    total = ind.sum(axis=(1, 2))
    return np.divide(spanning, total, out=np.zeros(len(ind)), where=total > 0)


def wells_connected(images, columns, sand: int = 1, connectivity: int = 4) -> np.ndarray:
    """Connectivity between vertical wells: for each image and each pair of well
    ``columns`` (i < j, in the order :func:`itertools.combinations` gives), whether one sand
    body (:func:`scipy.ndimage.label`, 4- or 8-connectivity) has pixels in both columns.
    Boolean array ``(n, n_pairs)``."""
    ind = _indicator(images, sand)
    cols = np.asarray(columns)
    if cols.ndim != 1 or len(cols) < 2 or not np.issubdtype(cols.dtype, np.integer):
        raise ValueError(f"columns must be a list of at least two integer column indices, got {columns!r}")
    if cols.min() < 0 or cols.max() >= ind.shape[2]:
        raise ValueError(f"columns must lie in 0..{ind.shape[2] - 1}, got {cols.tolist()}")
    labels, count = _label(ind, connectivity)
    member = np.zeros((len(cols), count + 1), dtype=bool)  # well k touches label l
    for k, c in enumerate(cols):
        member[k, labels[:, :, c]] = True
    member[:, 0] = False
    image_of = np.zeros(count + 1, dtype=int)
    for lab, s in enumerate(ndimage.find_objects(labels), start=1):
        image_of[lab] = s[0].start
    out = []
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            shared = np.flatnonzero(member[i] & member[j])
            hit = np.zeros(len(ind), dtype=bool)
            hit[image_of[shared]] = True
            out.append(hit)
    return np.stack(out, axis=1)


# ----------------------------------------------------------------------------- chords


def chord_lengths(images, angle: float = 90.0, sand: int = 1, keep_edges: bool = False) -> np.ndarray:
    """All sand chords along ``angle``, pooled over images: the lengths (pixels) of
    maximal runs of ``sand`` pixels on lines in that direction. Across the channels
    (``angle`` = channel direction + 90) this is the distribution of apparent channel
    width. For 0 and 90 degrees the lines are the rows and columns; other angles
    rotate the images first (:func:`scipy.ndimage.rotate`, nearest neighbour), so lengths
    are in pixels of the rotated grid. Chords that touch the image edge are cut by it
    and are dropped unless ``keep_edges``."""
    ind = _indicator(images, sand)
    angle = _check_angle(angle) % 180.0
    # lines along ``angle``: rows of the image rotated so that the direction becomes axis 2
    lab = ind.astype(np.int8)
    if angle == 90.0:
        lab = np.swapaxes(lab, 1, 2)
    elif angle != 0.0:
        # ndimage.rotate turns the (row, col) plane by ``angle`` so that our direction
        # (sin, cos) maps onto the column axis; -1 marks pixels outside the image
        lab = ndimage.rotate(lab, angle, axes=(2, 1), reshape=True, order=0, cval=-1, mode="constant")
    lines = lab.reshape(-1, lab.shape[-1])
    pad = np.full((len(lines), 1), -1, dtype=np.int8)
    padded = np.concatenate([pad, lines, pad], axis=1)
    is_sand = (padded == 1).astype(np.int8)
    step = np.diff(is_sand, axis=1)
    r_start, c_start = np.nonzero(step == 1)  # sorted by row, then column
    r_end, c_end = np.nonzero(step == -1)
    lengths = c_end - c_start
    if not keep_edges:
        before = padded[r_start, c_start]  # the pixel before the run (padded coordinates)
        after = padded[r_end, c_end + 1]
        lengths = lengths[(before != -1) & (after != -1)]
    return lengths.astype(float)


def chord_length_distance(a, b, angle: float = 90.0, sand: int = 1) -> float:
    """Wasserstein-1 distance (pixels; :func:`scipy.stats.wasserstein_distance`) between
    the chord-length distributions (:func:`chord_lengths`) of two image sets along
    ``angle``: the mean absolute difference between their quantile functions."""
    ca, cb = chord_lengths(a, angle, sand), chord_lengths(b, angle, sand)
    if len(ca) == 0 or len(cb) == 0:
        raise ValueError("no complete sand chord in one of the sets along this direction")
    return float(wasserstein_distance(ca, cb))


# ----------------------------------------------------------------------------- patterns


def pattern_histogram(images, size: int = 3, n_facies: int | None = None) -> np.ndarray:
    """Multiple-point statistics: the frequency of every ``size``×``size`` pattern of
    facies codes over all windows of all images (overlapping, inside the image), a
    vector of length ``n_facies ** (size * size)`` summing to 1. A pattern's index is its
    codes read row by row as the digits of a base-``n_facies`` number. ``n_facies``
    defaults to the largest code + 1 (give it when comparing sets)."""
    x = as_facies(images)
    size = check_positive_int(size, "size")
    if size > min(x.shape[1:]):
        raise ValueError(f"size must be at most the image size {min(x.shape[1:])}, got {size}")
    k = int(x.max()) + 1 if n_facies is None else check_positive_int(n_facies, "n_facies")
    if x.max() >= k:
        raise ValueError(f"n_facies must exceed every code; got {k} for a largest code {x.max()}")
    if k ** (size * size) > 2**24:
        raise ValueError(f"{k} facies in {size}x{size} windows make too many patterns; use a smaller size")
    rows, cols = x.shape[1] - size + 1, x.shape[2] - size + 1
    codes = np.zeros((len(x), rows, cols), dtype=np.int64)
    for i in range(size):  # the window's pixels, row by row, as base-k digits
        for j in range(size):
            codes = codes * k + x[:, i : i + rows, j : j + cols]
    counts = np.bincount(codes.ravel(), minlength=k ** (size * size)).astype(float)
    return counts / counts.sum()


def pattern_distance(a, b, size: int = 3) -> float:
    """Jensen-Shannon distance (base 2, between 0 and 1) between the ``size``×``size``
    pattern frequencies (:func:`pattern_histogram`) of two image sets:
    sqrt(JS divergence), with JS(P, Q) = KL(P || M)/2 + KL(Q || M)/2, M = (P + Q)/2
    (:func:`scipy.spatial.distance.jensenshannon`)."""
    a, b = as_facies(a, "a"), as_facies(b, "b")
    k = int(max(a.max(), b.max())) + 1
    return float(jensenshannon(pattern_histogram(a, size, k), pattern_histogram(b, size, k), base=2))


# ----------------------------------------------------------------------------- memorisation


def _one_hot(x: np.ndarray, k: int) -> np.ndarray:
    flat = x.reshape(len(x), -1)
    return np.concatenate([(flat == c) for c in range(k)], axis=1).astype(np.float32)


def nearest_hamming(images, train, chunk: int = 256) -> np.ndarray:
    """For each image, the Hamming distance to its nearest ``train`` image: the fraction
    of pixels whose facies differ (0 for a copy; about 2p(1 - p) between unrelated binary
    images of sand proportion p). Shape ``(n,)``; computed as one-hot matrix products."""
    x, t = as_facies(images), as_facies(train, "train")
    _same_size(x, t, "images and train")
    k = int(max(x.max(), t.max())) + 1
    n_pix = x.shape[1] * x.shape[2]
    if k <= 2:  # +-1 codes: agreements = (pixels + s_x . s_t) / 2, half the work of one-hot

        def encode(a):
            return (2.0 * a.reshape(len(a), -1) - 1.0).astype(np.float32)

        def agree(prod):
            return (n_pix + prod) / 2
    else:

        def encode(a):
            return _one_hot(a, k)

        def agree(prod):
            return prod

    enc_t = encode(t)
    out = np.empty(len(x))
    for start in range(0, len(x), check_positive_int(chunk, "chunk")):
        same = agree(encode(x[start : start + chunk]) @ enc_t.T)  # pixels that agree
        out[start : start + chunk] = 1.0 - same.max(axis=1) / n_pix
    return out


def memorisation(train, generated, reference) -> dict[str, float]:
    """Does the generator copy its training images? :func:`nearest_hamming` of each
    ``generated`` image to ``train``, against the same for an independent real
    ``reference`` set (not used in training). The same summaries as
    :func:`gan_utils.literature_metrics.memorisation`, in Hamming units:

    - ``median_fake``, ``median_reference``: median nearest-training distances;
    - ``ratio`` = median_fake / median_reference: about 1 without copying, well below 1
      for a generator that reproduces training images;
    - ``copy_fraction``: the fraction of generated images closer to a training image than
      the 1st percentile of reference distances (about 0.01 without copying)."""
    from .literature_metrics import copy_summary

    d_fake, d_ref = nearest_hamming(generated, train), nearest_hamming(reference, train)
    return copy_summary(d_fake, d_ref, "images")


# ----------------------------------------------------------------------------- classifier test

FEATURE_LAGS = (1, 2, 4, 8)


def image_features(images, angle: float = 0.0, sand: int = 1) -> np.ndarray:
    """Per-image summary features for a classifier test, shape ``(n, 13)``: sand
    proportion; number of sand bodies (4-connectivity); spanning fractions along x and y
    (:func:`spanning_fraction`); the indicator semivariogram along and across ``angle`` at
    lags 1, 2, 4, 8 (:func:`indicator_variogram` of the image alone); and the fraction
    of sand pixels with all four edge neighbours sand (interior of the sand bodies)."""
    ind = _indicator(images, sand)
    codes = ind.astype(np.int64)
    feats = [
        ind.mean(axis=(1, 2)),
        sand_bodies(codes, 1).astype(float),
        spanning_fraction(codes, "x", 1),
        spanning_fraction(codes, "y", 1),
    ]
    angle = _check_angle(angle)
    for a in (angle, angle + 90.0):
        offs = direction_offsets(a, max(FEATURE_LAGS))
        for lag in FEATURE_LAGS:
            dr, dc = offs[lag - 1]
            feats.append(_shift_semivariance(ind, dr, dc, per_image=True))
    interior = ndimage.binary_erosion(ind, structure=np.pad(_STRUCTURES[4][None], ((1, 1), (0, 0), (0, 0))))
    total = ind.sum(axis=(1, 2))
    feats.append(np.divide(interior.sum(axis=(1, 2)), total, out=np.zeros(len(ind)), where=total > 0))
    return np.stack(feats, axis=1)


def classifier_test(
    real, generated, angle: float = 0.0, seed: int = 0, classifier: str = "logistic", sand: int = 1
) -> dict:
    """Classifier two-sample test on :func:`image_features`:
    :func:`gan_utils.literature_metrics.classifier_two_sample_test` (5-fold cross-validated
    accuracy of telling real from generated; 0.5 = indistinguishable), seeded, with the
    fast binomial p-value (``permutations=0``), on one thread (many threads fight over a
    busy machine's cores). ``classifier``: ``"logistic"`` (default; standardised features,
    sees shifts of their means; fast) or ``"boosting"`` (also differences of spread and
    shape; slower)."""
    r, g = as_facies(real, "real"), as_facies(generated, "generated")
    _same_size(r, g, "real and generated")
    return _feature_c2st(image_features(r, angle, sand), image_features(g, angle, sand), seed, classifier)


def _feature_c2st(fr: np.ndarray, fg: np.ndarray, seed: int, classifier: str = "logistic") -> dict:
    from threadpoolctl import threadpool_limits

    from .literature_metrics import classifier_two_sample_test

    with threadpool_limits(1):
        return classifier_two_sample_test(fr, fg, seed=seed, classifier=classifier, permutations=0)


# ----------------------------------------------------------------------------- calibration


def observed_mask(shape, columns) -> np.ndarray:
    """Boolean mask of shape ``shape`` (H, W), True on the given vertical well ``columns``."""
    if len(shape) != 2:
        raise ValueError(f"shape must be (H, W), got {shape!r}")
    cols = np.asarray(columns)
    if cols.ndim != 1 or not np.issubdtype(cols.dtype, np.integer) or len(cols) == 0:
        raise ValueError(f"columns must be a non-empty list of integer column indices, got {columns!r}")
    if cols.min() < 0 or cols.max() >= shape[1]:
        raise ValueError(f"columns must lie in 0..{shape[1] - 1}, got {cols.tolist()}")
    mask = np.zeros(shape, dtype=bool)
    mask[:, cols] = True
    return mask


def reliability(prob, truth, observed, exclude_within: float = 3.0, bins: int = 10, sand: int = 1) -> dict:
    r"""Reliability diagram of facies-probability maps and the expected calibration error.

    ``prob`` ``(m, H, W)``: predicted P(sand) for m hidden truths (e.g. the fraction of
    realisations with sand at each pixel); ``truth`` ``(m, H, W)``: the truths' facies
    codes; ``observed``: boolean ``(H, W)`` or ``(m, H, W)``, True at observed (well)
    pixels. Pixels whose Euclidean distance to the nearest observed pixel is at most
    ``exclude_within`` pixels (:func:`scipy.ndimage.distance_transform_edt`) are left out:
    next to a well any method that honours the data is trivially calibrated.

    The remaining pixels are binned by predicted probability into ``bins`` equal bins of
    [0, 1]. Returns ``{"edges", "predicted" (mean prediction per bin), "observed" (fraction
    of truth pixels that are sand per bin), "count" (pixels per bin), "ece", "n_pixels"}``;
    empty bins hold NaN in predicted/observed and 0 in count. The expected calibration
    error is ECE = sum_b (n_b / N) |predicted_b - observed_b| (probability units): 0 for a
    perfectly calibrated map."""
    p = np.asarray(prob, dtype=float)
    t = as_facies(truth, "truth")
    if p.shape != t.shape:
        raise ValueError(f"prob and truth must have the same shape, got {p.shape} and {t.shape}")
    if not np.isfinite(p).all() or p.min() < 0 or p.max() > 1:
        raise ValueError("prob must hold probabilities in [0, 1]")
    obs = np.asarray(observed, dtype=bool)
    if obs.shape == t.shape[1:]:
        obs = np.broadcast_to(obs, t.shape)
    if obs.shape != t.shape:
        raise ValueError(f"observed must have shape (H, W) or {t.shape}, got {obs.shape}")
    if not obs.any(axis=(1, 2)).all():
        raise ValueError("observed has no observed pixel in some image")
    bins = check_positive_int(bins, "bins")
    check_scalar(exclude_within, "exclude_within", integer=False, minimum=0, detail="of pixels")
    dist = np.stack([ndimage.distance_transform_edt(~o) for o in obs])
    keep = dist > exclude_within
    if not keep.any():
        raise ValueError("no pixel lies farther than exclude_within from the observed pixels")
    pk, yk = p[keep], (t[keep] == _check_code(sand)).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(pk, edges[1:-1]), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(which, weights=pk, minlength=bins) / count
        observed_freq = np.bincount(which, weights=yk, minlength=bins) / count
    filled = count > 0
    ece = float(np.sum(count[filled] / count.sum() * np.abs(predicted[filled] - observed_freq[filled])))
    return {
        "edges": edges,
        "predicted": predicted,
        "observed": observed_freq,
        "count": count,
        "ece": ece,
        "n_pixels": int(count.sum()),
    }


# ----------------------------------------------------------------------------- protocol


def _scalars(x: np.ndarray, angle: float, sand: int, connectivity: int) -> dict[str, float]:
    """The scalar statistics (means over images), compared by their difference to the reference."""
    codes = (x == sand).astype(np.int64)
    return {
        "sand proportion": float(codes.mean()),
        "sand proportion sd": float(codes.mean(axis=(1, 2)).std(ddof=1)),
        "sand bodies per image": float(sand_bodies(codes, 1, connectivity).mean()),
        "spanning fraction (x)": float(spanning_fraction(codes, "x", 1, connectivity).mean()),
        "spanning fraction (y)": float(spanning_fraction(codes, "y", 1, connectivity).mean()),
    }


def _distances(
    x: np.ndarray, ref: np.ndarray, angle: float, sand: int, max_lag: int, size: int, ref_cache: dict
) -> dict[str, float]:
    if "vario" not in ref_cache:
        ref_cache["vario"] = indicator_variogram(ref, angle, max_lag, sand)
        ref_cache["chords"] = chord_lengths(ref, angle + 90.0, sand)
        ref_cache["patterns"] = None
    gv = indicator_variogram(x, angle, max_lag, sand)
    rv = ref_cache["vario"]
    k = int(max(x.max(), ref.max())) + 1
    if ref_cache["patterns"] is None or len(ref_cache["patterns"]) != k ** (size * size):
        ref_cache["patterns"] = pattern_histogram(ref, size, k)
    chords = chord_lengths(x, angle + 90.0, sand)
    return {
        "variogram along (mean |diff|)": float(np.mean(np.abs(gv["along"] - rv["along"]))),
        "variogram across (mean |diff|)": float(np.mean(np.abs(gv["across"] - rv["across"]))),
        "chord length across (W1, px)": (
            float(wasserstein_distance(chords, ref_cache["chords"])) if len(chords) else float("inf")
        ),
        f"{size}x{size} patterns (JS distance)": float(
            jensenshannon(pattern_histogram(x, size, k), ref_cache["patterns"], base=2)
        ),
    }


def facies_tolerances(
    reference,
    real_sets,
    angle: float = 0.0,
    sand: int = 1,
    max_lag: int = 16,
    pattern_size: int = 3,
    connectivity: int = 4,
    train=None,
    seed: int = 0,
) -> dict[str, tuple[float, float, str]]:
    """For every statistic of :func:`facies_report`: ``(value on reference, tolerance,
    kind)`` from the independent ``real_sets`` (a list of at least 3 arrays ``(n, H, W)``,
    each drawn like the generated set and of its size), as
    :func:`gan_utils.metrics.well_log_tolerances` does for logs:

    - kind ``"difference"`` (scalar statistics, means over images): tolerance =
      :func:`gan_utils.metrics.difference_tolerance` of s(A) - s(reference) over the real
      sets A (three times their root mean square); a set passes when
      |s(generated) - s(reference)| <= tolerance;
    - kind ``"distance"`` (variograms: mean absolute difference over lags 1..``max_lag``
      along and across ``angle``; chord lengths across ``angle``: W1; pattern histograms:
      JS distance; the classifier test's accuracy against the reference): tolerance =
      :func:`gan_utils.metrics.distance_limit` (mean + 3 sd) of the real sets' distances
      to the reference; a set passes when its distance is at most that;
    - with ``train`` (the training images): kind ``"ratio"``, the median
      nearest-training Hamming distance relative to the real sets'
      (:func:`memorisation`); tolerance = difference_tolerance of (ratio - 1) over the
      real sets; passes when |ratio - 1| <= tolerance."""
    ref = as_facies(reference, "reference")
    sets = [as_facies(s, "real set") for s in real_sets]
    if len(sets) < 3:
        raise ValueError(f"give at least 3 independent real sets for the tolerances, got {len(sets)}")
    for s in sets:
        _same_size(ref, s, "reference and real sets")
    sand, angle = _check_code(sand), _check_angle(angle)
    out: dict[str, tuple[float, float, str]] = {}
    r_sc = _scalars(ref, angle, sand, connectivity)
    s_sc = [_scalars(s, angle, sand, connectivity) for s in sets]
    for name, value in r_sc.items():
        out[name] = (value, difference_tolerance([s[name] - value for s in s_sc]), "difference")
    cache: dict = {}
    s_d = [_distances(s, ref, angle, sand, max_lag, pattern_size, cache) for s in sets]
    for name in s_d[0]:
        out[name] = (0.0, distance_limit([d[name] for d in s_d]), "distance")
    f_ref = image_features(ref, angle, sand)
    acc = [_feature_c2st(f_ref, image_features(s, angle, sand), seed)["accuracy"] for s in sets]
    out["classifier test accuracy"] = (0.5, distance_limit(acc), "distance")
    if train is not None:
        ratios = [_memorisation_ratio(train, s, sets[(i + 1) % len(sets)]) for i, s in enumerate(sets)]
        out["nearest-training distance ratio"] = (1.0, difference_tolerance(np.array(ratios) - 1), "ratio")
    return out


def _memorisation_ratio(train, generated, reference) -> float:
    return memorisation(train, generated, reference)["ratio"]


def facies_report(
    generated,
    reference,
    tolerances: dict[str, tuple[float, float, str]],
    angle: float = 0.0,
    sand: int = 1,
    max_lag: int = 16,
    pattern_size: int = 3,
    connectivity: int = 4,
    train=None,
    fresh=None,
    seed: int = 0,
) -> list[dict]:
    """Every statistic of ``generated`` beside its value on ``reference`` and the
    real-vs-real tolerance (from :func:`facies_tolerances`, called with the same
    ``angle``, ``sand``, ``max_lag``, ``pattern_size``, ``connectivity``). Rows:
    ``{"statistic", "value", "real", "tolerance", "ok"}``. The memorisation row needs
    ``train`` and a ``fresh`` real set (not used in training) and tolerances computed
    with ``train``."""
    gen = as_facies(generated, "generated")
    ref = as_facies(reference, "reference")
    _same_size(ref, gen, "reference and generated")
    sand, angle = _check_code(sand), _check_angle(angle)
    values = _scalars(gen, angle, sand, connectivity)
    values.update(_distances(gen, ref, angle, sand, max_lag, pattern_size, {}))
    values["classifier test accuracy"] = _feature_c2st(
        image_features(ref, angle, sand), image_features(gen, angle, sand), seed
    )["accuracy"]
    rows = []
    for name, (real, tol, kind) in tolerances.items():
        if kind == "ratio":
            if train is None or fresh is None:
                continue
            g = _memorisation_ratio(train, gen, fresh)
            ok = abs(g - 1.0) <= tol
        elif name not in values:
            raise ValueError(f"tolerances hold {name!r}, which this report does not compute")
        elif kind == "difference":
            g = values[name]
            ok = abs(g - real) <= tol
        else:
            g = values[name]
            ok = g <= tol
        rows.append({"statistic": name, "value": g, "real": real, "tolerance": tol, "ok": bool(ok)})
    return rows


def facies_protocol(reference, real_sets, generated, angle: float = 0.0, **kwargs) -> list[dict]:
    """:func:`facies_tolerances` from ``reference`` and ``real_sets``, then
    :func:`facies_report` of ``generated``; keyword arguments go to both (``train`` and
    ``fresh`` to the memorisation row). Compute the tolerances once with
    :func:`facies_tolerances` when evaluating several generated sets."""
    fresh = kwargs.pop("fresh", None)
    tol = facies_tolerances(reference, real_sets, angle, **kwargs)
    return facies_report(generated, reference, tol, angle, fresh=fresh, **kwargs)
