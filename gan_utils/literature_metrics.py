"""The literature's evaluation metrics for generative models, beside the course's own.

The course judges a generator with a two-sample distance (the energy distance), a
real-vs-real baseline for every number, and a nearest-neighbour distance for mode
collapse (:mod:`gan_utils.metrics`, :mod:`gan_utils.evaluation`). Papers report other
numbers; this module computes them on the same features so the two can be read side by
side:

- :func:`precision_recall`: improved precision and recall (Kynkäänniemi et al. 2019);
- :func:`density_coverage`: density and coverage (Naeem et al. 2020);
- :func:`mmd2_unbiased` and :func:`kid`: the squared maximum mean discrepancy (Gretton et
  al. 2012) and the Kernel Inception Distance (Binkowski et al. 2018). The course's energy
  distance belongs to this family: it is the MMD with the distance-induced kernel
  (Sejdinovic et al. 2013);
- :func:`classifier_two_sample_test`: the classifier two-sample test (Lopez-Paz & Oquab 2017);
- :func:`memorisation`: distances to the nearest training sample, generated vs held-out
  real (the global form of Meehan et al. 2020's data-copying test).

**Features.** Image papers compute these metrics on Inception or VGG embeddings. Here a
sample's feature vector is :func:`well_log_features` for well logs (the per-log vector of
the course's feature energy distance, :func:`gan_utils.metrics.log_features`) and
:func:`crossplot_features` (the standardised points) for the crossplot. Every metric
reads rows as points, so it takes any ``(n, d)`` array. None of them means much alone:
compare with the same metric on two independent real sets
(:func:`gan_utils.evaluation.real_vs_real`).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from sklearn.metrics import pairwise_distances

from . import metrics as M
from .checks import check_choice, check_positive_int, check_scalar

# ----------------------------------------------------------------------------- features


def _as_rows(x: np.ndarray, name: str, min_rows: int = 2) -> np.ndarray:
    """``x`` as a finite float64 ``(n, d)`` array with ``n >= min_rows``; ValueError otherwise."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features), got shape {x.shape}")
    if x.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} rows, got {x.shape[0]}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def _same_dim(a: np.ndarray, b: np.ndarray, names: str) -> None:
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"{names} differ in number of features: {a.shape[1]} vs {b.shape[1]}")


def _standardise(features: np.ndarray, reference: np.ndarray) -> np.ndarray:
    mean, std = reference.mean(axis=0), reference.std(axis=0)
    std[std == 0] = 1.0
    return (features - mean) / std


def well_log_features(logs: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """The per-log feature vector, ``(n_logs, 7)``: :func:`gan_utils.metrics.log_features`
    (mean, standard deviation, shale fraction, fraction between 0.4 and 0.6, transitions,
    lag-1 autocorrelation, total variation of each log), the vector the course's feature
    energy distance uses, defined there once.

    With ``reference`` (real logs), each feature is centred and divided by its standard
    deviation on the reference: the features then have comparable scales, which every
    distance- or kernel-based metric needs. Centring changes no distance, so the energy
    distance on these features is the course's feature energy distance."""
    feats = M.log_features(logs)
    return feats if reference is None else _standardise(feats, M.log_features(reference))


def crossplot_features(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Crossplot (porosity, Vp) points standardised by a real ``reference`` set (centred,
    divided by its per-column standard deviation): for two-column points the features are
    the points themselves, in comparable units."""
    pts, ref = _as_rows(points, "points"), _as_rows(reference, "reference")
    _same_dim(pts, ref, "points and reference")
    return _standardise(pts, ref)


# ----------------------------------------------------------------------------- k-NN manifolds


def _check_k(k: object, *sizes: int) -> int:
    k = check_positive_int(k, "k")
    if k >= min(sizes):
        raise ValueError(f"k must be smaller than every sample size ({min(sizes)}), got {k}")
    return k


def _manifold_pair(real, fake, k) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated (real, fake), the real-fake distance matrix and the real k-NN radii."""
    real, fake = _as_rows(real, "real"), _as_rows(fake, "fake")
    _same_dim(real, fake, "real and fake")
    k = _check_k(k, len(real), len(fake))
    return real, fake, pairwise_distances(real, fake), M.nearest_distances(real, k=k)


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 5) -> dict[str, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019), rows being feature vectors.

    The real manifold is the union of balls around each real point r_i, of radius its
    distance to its k-th nearest real neighbour, NND_k(r_i); the fake manifold likewise.

    - precision = (1/M) sum_j 1[f_j lies in some real ball]: the fraction of generated
      samples that look real (fidelity);
    - recall = (1/N) sum_i 1[r_i lies in some fake ball]: the fraction of real samples the
      generator could have produced (diversity).

    A mode-collapsed generator keeps its precision and loses recall; one that produces
    off-manifold samples loses precision. The fake balls shrink when generated samples are
    near-duplicates of one another, as the course's :func:`gan_utils.metrics.nearest_neighbour_distance`
    (the mean 1-NN radius of one set) shows directly. Neither number is 1 for two real
    sets: both depend on k, the sample sizes and the dimension, so read them beside
    real-vs-real values. ``k`` must be below both sample sizes; the paper uses k = 3 on
    VGG-16 features, Naeem et al. 2020 k = 5."""
    real, fake, d_rf, radii_real = _manifold_pair(real, fake, k)
    radii_fake = M.nearest_distances(fake, k=k)
    precision = (d_rf <= radii_real[:, None]).any(axis=0).mean()
    recall = (d_rf <= radii_fake[None, :]).any(axis=1).mean()
    return {"precision": float(precision), "recall": float(recall)}


def density_coverage(real: np.ndarray, fake: np.ndarray, k: int = 5) -> dict[str, float]:
    """Density and coverage (Naeem et al. 2020), rows being feature vectors; balls
    B(r_i, NND_k(r_i)) around the real points only, as in :func:`precision_recall`.

    - density = 1/(k M) sum_j sum_i 1[f_j in B(r_i, NND_k(r_i))]: how many real balls a
      generated sample falls in, on average, divided by k. Its expectation is 1 when the
      two distributions are equal; above 1 when samples crowd where real points are dense,
      below 1 when they stray.
    - coverage = (1/N) sum_i 1[some f_j in B(r_i, NND_k(r_i))]: the fraction of real
      points whose neighbourhood holds a generated sample. For equal distributions and
      sizes its expectation is about 1 - 2^-k (0.97 for k = 5); a dropped mode removes its
      share.

    Unlike precision and recall, neither uses balls around generated samples, so a few
    outlying generated samples do not inflate them."""
    real, fake, d_rf, radii_real = _manifold_pair(real, fake, k)
    inside = d_rf <= radii_real[:, None]  # (real, fake)
    density = inside.sum() / (k * len(fake))
    coverage = inside.any(axis=1).mean()
    return {"density": float(density), "coverage": float(coverage)}


# ----------------------------------------------------------------------------- kernel distances

KERNELS = ("rbf", "polynomial", "distance")


def median_bandwidth(x: np.ndarray, y: np.ndarray) -> float:
    """Median heuristic (Gretton et al. 2012): the median Euclidean distance between distinct
    points of the pooled sample."""
    pooled = np.concatenate([_as_rows(x, "x"), _as_rows(y, "y")])
    d = pairwise_distances(pooled)
    d = d[np.triu_indices_from(d, k=1)]
    med = float(np.median(d))
    if med <= 0:
        raise ValueError("the median distance between points is 0; give a bandwidth")
    return med


def _gram(a: np.ndarray, b: np.ndarray, kernel: str, bandwidth: float, degree: int) -> np.ndarray:
    if kernel == "rbf":
        return np.exp(-pairwise_distances(a, b, metric="sqeuclidean") / (2 * bandwidth**2))
    if kernel == "polynomial":
        return (a @ b.T / a.shape[1] + 1.0) ** degree
    # distance-induced kernel k(a, b) = (|a| + |b| - |a - b|) / 2, centred at the origin
    return 0.5 * (
        np.linalg.norm(a, axis=1)[:, None] + np.linalg.norm(b, axis=1)[None, :] - pairwise_distances(a, b)
    )


def _mmd2_u(x: np.ndarray, y: np.ndarray, kernel: str, bandwidth: float, degree: int) -> float:
    m, n = len(x), len(y)
    kxx, kyy = _gram(x, x, kernel, bandwidth, degree), _gram(y, y, kernel, bandwidth, degree)
    kxy = _gram(x, y, kernel, bandwidth, degree)
    xx = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
    yy = (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
    return float(xx + yy - 2 * kxy.mean())


def mmd2_unbiased(
    x: np.ndarray, y: np.ndarray, kernel: str = "rbf", bandwidth: float | None = None, degree: int = 3
) -> float:
    """Unbiased estimate of the squared maximum mean discrepancy (Gretton et al. 2012):

        MMD²_u = 1/(m(m-1)) sum_{i≠j} k(x_i, x_j) + 1/(n(n-1)) sum_{i≠j} k(y_i, y_j)
                 - 2/(mn) sum_{i,j} k(x_i, y_j).

    Its expectation is 0 when the two distributions are equal, so an estimate can be
    slightly negative; with a characteristic kernel it is positive in expectation
    otherwise. Kernels (rows are feature vectors, which should share a scale):

    - ``"rbf"``: k(a, b) = exp(-|a - b|² / (2 σ²)), σ = ``bandwidth`` or, when None, the
      median heuristic (:func:`median_bandwidth` of the pooled sample);
    - ``"polynomial"``: k(a, b) = (a·b / d + 1)^degree, the kernel of :func:`kid`;
    - ``"distance"``: k(a, b) = (|a| + |b| - |a - b|) / 2, the distance-induced kernel.

    **The course's energy distance is an MMD.** Sejdinovic et al. (2013) show that with the
    distance-induced kernel, MMD² equals half the squared energy distance,
    2 E|X-Y| - E|X-X'| - E|Y-Y'| (Szekely & Rizzo 2013). :func:`gan_utils.metrics.energy_distance`
    is the square root of that quantity estimated with V-statistics, so
    ``2 * mmd2_unbiased(x, y, "distance")`` is its square up to the O(1/n) bias of the
    V-statistic: the course's metric and KID differ only in the kernel."""
    x, y = _as_rows(x, "x"), _as_rows(y, "y")
    _same_dim(x, y, "x and y")
    check_choice(kernel, KERNELS, "kernel")
    degree = check_positive_int(degree, "degree")
    if kernel == "rbf":
        if bandwidth is None:
            bandwidth = median_bandwidth(x, y)
        elif not (np.isfinite(bandwidth) and bandwidth > 0):
            raise ValueError(f"bandwidth must be a positive number, got {bandwidth}")
    return _mmd2_u(x, y, kernel, bandwidth or 1.0, degree)


def kid(
    x: np.ndarray,
    y: np.ndarray,
    degree: int = 3,
    subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> dict[str, float]:
    """Kernel Inception Distance (Binkowski et al. 2018) on any features: the unbiased MMD²
    (:func:`mmd2_unbiased`) with the polynomial kernel k(a, b) = (a·b / d + 1)^degree
    (d = number of features, degree 3), averaged over ``subsets`` random pairs of subsets
    of ``min(subset_size, len(x), len(y))`` rows drawn without replacement.

    Returns the mean (``"kid"``) and standard deviation (``"std"``) over subsets. Like
    MMD², it is 0 in expectation for equal distributions and can be slightly negative.
    The original uses Inception-v3 pool features of images; here use standardised
    features (:func:`well_log_features` with a reference), since the polynomial kernel
    depends on the features' origin and scale."""
    x, y = _as_rows(x, "x"), _as_rows(y, "y")
    _same_dim(x, y, "x and y")
    degree = check_positive_int(degree, "degree")
    subsets = check_positive_int(subsets, "subsets")
    size = min(check_positive_int(subset_size, "subset_size"), len(x), len(y))
    if size < 2:
        raise ValueError(f"subset_size must be at least 2, got {subset_size}")
    rng = np.random.default_rng(seed)
    values = [
        _mmd2_u(
            x[rng.choice(len(x), size, replace=False)],
            y[rng.choice(len(y), size, replace=False)],
            "polynomial",
            1.0,
            degree,
        )
        for _ in range(subsets)
    ]
    return {"kid": float(np.mean(values)), "std": float(np.std(values))}


# ----------------------------------------------------------------------------- classifier test


def _classifier(name: str, seed: int):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "logistic":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    return HistGradientBoostingClassifier(max_iter=50, random_state=seed)


CLASSIFIERS = ("logistic", "boosting")


def _balanced(real: np.ndarray, fake: np.ndarray, rng: np.random.Generator):
    n = min(len(real), len(fake))
    real = real[rng.choice(len(real), n, replace=False)] if len(real) > n else real
    fake = fake[rng.choice(len(fake), n, replace=False)] if len(fake) > n else fake
    return np.concatenate([real, fake]), np.repeat([0, 1], n)


def classifier_two_sample_test(
    real: np.ndarray,
    fake: np.ndarray,
    seed: int = 0,
    folds: int = 5,
    classifier: str = "logistic",
    permutations: int = 100,
) -> dict[str, float]:
    """Classifier two-sample test, C2ST (Lopez-Paz & Oquab 2017): label real rows 0 and
    generated rows 1, train a classifier, and measure its accuracy on rows it did not see.

    The larger set is subsampled (``seed``) to the size n of the smaller, so chance is 0.5.
    ``accuracy`` is over all 2n rows, each predicted by the model of the stratified
    ``folds``-fold split that held it out: 0.5 means the classifier cannot tell the sets
    apart, 1 that they are fully separable. ``p_value`` tests H0 "same distribution":

    - ``permutations > 0`` (default 100): permutation test, (1 + #{accuracy with randomly
      permuted labels >= accuracy}) / (1 + permutations), by
      :func:`sklearn.model_selection.permutation_test_score`. Valid; costs ``permutations
      * folds`` more fits, and cannot go below 1 / (1 + permutations).
    - ``permutations == 0``: one-sided binomial test of the number of correct predictions
      against Binomial(2n, 1/2), the paper's test for a single held-out set. Fast but, with
      cross-validation, approximate: the folds share training rows, so the accuracy varies
      more than a binomial does and the test rejects too often.

    Classifiers: ``"logistic"`` (standardised features, linear: it sees shifts of the
    feature means, not differences of spread or shape) and ``"boosting"`` (histogram
    gradient boosting, 50 trees: nonlinear, slower)."""
    real, fake = _as_rows(real, "real"), _as_rows(fake, "fake")
    _same_dim(real, fake, "real and fake")
    check_choice(classifier, CLASSIFIERS, "classifier")
    folds = check_positive_int(folds, "folds")
    if folds < 2 or min(len(real), len(fake)) < folds:
        raise ValueError(f"folds must be >= 2 and at most the smaller sample size, got {folds}")
    check_scalar(permutations, "permutations", minimum=0)
    from sklearn.model_selection import StratifiedKFold, cross_val_predict, permutation_test_score

    x, labels = _balanced(real, fake, np.random.default_rng(seed))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    model = _classifier(classifier, seed)
    correct = int((cross_val_predict(model, x, labels, cv=cv) == labels).sum())
    if permutations:
        _, _, p_value = permutation_test_score(
            model, x, labels, cv=cv, n_permutations=permutations, random_state=seed, scoring="accuracy"
        )
    else:
        p_value = stats.binomtest(correct, len(labels), 0.5, alternative="greater").pvalue
    return {"accuracy": correct / len(labels), "p_value": float(p_value), "n": len(labels)}


# ----------------------------------------------------------------------------- memorisation


def memorisation(train: np.ndarray, fake: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """Does the generator copy its training set? Each generated row's Euclidean distance to
    its nearest ``train`` row, against the same distance for an independent real
    ``reference`` set (drawn like the training data, not used in training).

    - ``median_fake``, ``median_reference``: the medians of the two distance sets;
    - ``ratio`` = median_fake / median_reference: about 1 for a generator that samples the
      data distribution, well below 1 for one that reproduces training samples (or their
      neighbourhoods), above 1 for one whose samples lie away from the data;
    - ``copy_threshold``: the 1st percentile of reference-to-train distances;
    - ``copy_fraction``: the fraction of generated rows closer to a training row than
      that, i.e. closer than 99 % of fresh real samples get: about 0.01 without copying;
    - ``p_value``: one-sided Mann-Whitney U test that generated-to-train distances are
      smaller than reference-to-train ones, the global form of the data-copying test of
      Meehan et al. (2020), who apply it per cell of a partition to catch local copying.

    This is the "distance to closest record" of the synthetic-data privacy literature.
    Rows may be raw samples (a copied log is a copied log) or feature vectors."""
    train = _as_rows(train, "train")
    fake, reference = _as_rows(fake, "fake"), _as_rows(reference, "reference")
    _same_dim(train, fake, "train and fake")
    _same_dim(train, reference, "train and reference")
    d_fake, d_ref = M.nearest_distances(fake, train), M.nearest_distances(reference, train)
    return {
        **copy_summary(d_fake, d_ref, "rows"),
        "p_value": float(stats.mannwhitneyu(d_fake, d_ref, alternative="less").pvalue),
    }


def copy_summary(d_fake: np.ndarray, d_ref: np.ndarray, what: str = "rows") -> dict[str, float]:
    """Nearest-training distances of generated (``d_fake``) and held-out real (``d_ref``)
    samples, summarised: both medians, their ratio, and the fraction of generated samples
    closer to a training sample than the 1st percentile of the real ones (the copy
    fraction, about 0.01 without copying). Shared by vectors and images."""
    med_fake, med_ref = float(np.median(d_fake)), float(np.median(d_ref))
    if med_ref <= 0:
        raise ValueError(f"reference {what} coincide with training {what}; give an independent reference set")
    threshold = float(np.quantile(d_ref, 0.01))
    return {
        "median_fake": med_fake,
        "median_reference": med_ref,
        "ratio": med_fake / med_ref,
        "copy_threshold": threshold,
        "copy_fraction": float(np.mean(d_fake < threshold)),
    }


# ----------------------------------------------------------- chapters 2 and 3: one row per metric


def field_report(reference: np.ndarray, fake: np.ndarray, k: int = 5, seed: int = 0) -> dict[str, float]:
    """The literature's feature-space metrics for one generated set, in one dict: rows are
    feature vectors standardised by the real ``reference`` (:func:`well_log_features`,
    :func:`crossplot_features`). Precision, recall, density and coverage (``k``
    neighbours), MMD² (RBF kernel, median bandwidth), KID (20 subsets of at most 500 rows)
    and the held-out accuracy of a logistic classifier two-sample test (5 folds; no
    permutation test: read the accuracy beside its real-vs-real value). Memorisation needs
    the training set and is separate (:func:`memorisation`). About a second for 512 rows."""
    out = precision_recall(reference, fake, k) | density_coverage(reference, fake, k)
    out["MMD²"] = mmd2_unbiased(reference, fake)
    out["KID"] = kid(reference, fake, subsets=20, subset_size=500, seed=seed)["kid"]
    out["C2ST accuracy"] = classifier_two_sample_test(reference, fake, seed=seed, permutations=0)["accuracy"]
    return out
