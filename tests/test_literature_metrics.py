"""The literature's metrics (gan_utils.literature_metrics) on samples whose answer is known:
equal distributions, a dropped mode, a shift, copies of the training set."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from threadpoolctl import threadpool_limits

from gan_utils import literature_metrics as F
from gan_utils import metrics
from gan_utils.data import make_crossplot, make_well_logs
from gan_utils.evaluation import real_vs_real

CENTRES = np.array([[-4.0, 0.0], [4.0, 0.0]])


@pytest.fixture(autouse=True)
def one_thread():
    with threadpool_limits(limits=1):
        yield


def two_clusters(seed: int, n: int = 400) -> np.ndarray:
    """Half the points around each centre (unit normal noise)."""
    rng = np.random.default_rng(seed)
    return CENTRES[rng.integers(0, 2, n)] + rng.standard_normal((n, 2))


def one_cluster(seed: int, n: int = 400) -> np.ndarray:
    """A mode-collapsed generator: every point around the second centre."""
    return CENTRES[1] + np.random.default_rng(seed).standard_normal((n, 2))


# ----------------------------------------------------------------------------- k-NN manifolds


def test_equal_distributions_score_near_one():
    real, fake = two_clusters(0), two_clusters(1)
    pr, dc = F.precision_recall(real, fake), F.density_coverage(real, fake)
    assert pr["precision"] > 0.9 and pr["recall"] > 0.9
    assert dc["density"] == pytest.approx(1.0, abs=0.15)  # expectation exactly 1
    assert dc["coverage"] == pytest.approx(1 - 0.5**5, abs=0.04)  # expectation for equal sizes


def test_mode_collapse_loses_recall_and_coverage_not_precision():
    def recall(a, b):
        return F.precision_recall(a, b)["recall"]

    def coverage(a, b):
        return F.density_coverage(a, b)["coverage"]

    real, fake = two_clusters(0), one_cluster(1)
    pr, dc = F.precision_recall(real, fake), F.density_coverage(real, fake)
    baseline_recall = real_vs_real(recall, two_clusters, n_pairs=3)
    baseline_coverage = real_vs_real(coverage, two_clusters, n_pairs=3)
    assert pr["recall"] < 0.65 < baseline_recall.min() - 0.3
    assert dc["coverage"] < 0.65 < baseline_coverage.min() - 0.3
    assert pr["precision"] > 0.9  # every collapsed sample still looks real


def test_shifted_fake_has_low_precision_and_density():
    real, fake = two_clusters(0), two_clusters(1) + np.array([0.0, 6.0])
    pr, dc = F.precision_recall(real, fake), F.density_coverage(real, fake)
    assert pr["precision"] < 0.05 and dc["density"] < 0.05
    assert pr["recall"] < 0.05 and dc["coverage"] < 0.05


def test_one_sample_in_a_dropped_mode_restores_recall_not_coverage():
    """Naeem et al.'s point: a ball around a lone generated sample reaches far (its k-th
    neighbour is in the other mode), so recall calls the whole mode covered."""
    real = two_clusters(0)
    fake = np.concatenate([one_cluster(1, 399), CENTRES[:1]])
    pr, dc = F.precision_recall(real, fake), F.density_coverage(real, fake)
    assert pr["recall"] > 0.9 and dc["coverage"] < 0.6


# ----------------------------------------------------------------------------- kernel distances


def _brute_mmd2(x, y, k):
    def mean_off_diagonal(a):
        return np.mean([k(a[i], a[j]) for i in range(len(a)) for j in range(len(a)) if i != j])

    cross = np.mean([k(a, b) for a in x for b in y])
    return mean_off_diagonal(x) + mean_off_diagonal(y) - 2 * cross


def test_mmd2_matches_its_formula():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((6, 3)), rng.standard_normal((5, 3)) + 0.5
    sigma = 1.3
    rbf = _brute_mmd2(x, y, lambda a, b: np.exp(-np.sum((a - b) ** 2) / (2 * sigma**2)))
    poly = _brute_mmd2(x, y, lambda a, b: (a @ b / 3 + 1) ** 3)
    assert F.mmd2_unbiased(x, y, bandwidth=sigma) == pytest.approx(rbf, rel=1e-10)
    assert F.mmd2_unbiased(x, y, kernel="polynomial") == pytest.approx(poly, rel=1e-10)
    med = np.median(pdist(np.concatenate([x, y])))
    assert F.mmd2_unbiased(x, y) == pytest.approx(F.mmd2_unbiased(x, y, bandwidth=med), rel=1e-12)


def test_mmd2_is_unbiased_near_zero_for_equal_and_larger_for_shifted():
    rng = np.random.default_rng(4)
    null = np.array(
        [F.mmd2_unbiased(rng.standard_normal((80, 2)), rng.standard_normal((80, 2))) for _ in range(20)]
    )
    assert (null < 0).any()  # a biased (V-statistic) estimate would never be negative
    assert abs(null.mean()) < 3 * null.std(ddof=1) / np.sqrt(len(null))
    shifted = F.mmd2_unbiased(rng.standard_normal((80, 2)), rng.standard_normal((80, 2)) + 1.0)
    assert shifted > 3 * null.max()


def test_energy_distance_is_the_mmd_with_the_distance_kernel():
    """2 MMD²_u(distance kernel) = energy distance² (V-statistic) minus its diagonal bias."""
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((50, 3)), rng.standard_normal((40, 3)) + 0.7
    ed2 = metrics.energy_distance(x, y) ** 2
    bias = pdist(x).mean() / len(x) + pdist(y).mean() / len(y)
    assert 2 * F.mmd2_unbiased(x, y, kernel="distance") == pytest.approx(ed2 - bias, rel=1e-10)


def test_kid_is_the_polynomial_mmd_averaged_over_subsets():
    rng = np.random.default_rng(6)
    x, y = rng.standard_normal((100, 4)), rng.standard_normal((100, 4))
    whole = F.kid(x, y, subsets=1, subset_size=1000)  # one subset: all rows, reordered
    assert whole["kid"] == pytest.approx(F.mmd2_unbiased(x, y, kernel="polynomial"), rel=1e-10)
    same = F.kid(x, y, subsets=20, subset_size=50)
    far = F.kid(x, y + 1.0, subsets=20, subset_size=50)
    assert abs(same["kid"]) < 2 * same["std"] and far["kid"] > 5 * far["std"]


# ----------------------------------------------------------------------------- classifier test


def test_c2st_chance_for_equal_and_separates_shifted():
    real, fake = two_clusters(0), two_clusters(1)
    same = F.classifier_two_sample_test(real, fake, permutations=50)
    assert same["accuracy"] == pytest.approx(0.5, abs=0.06) and same["p_value"] > 0.05
    shifted = F.classifier_two_sample_test(real, fake + np.array([0.0, 2.0]), permutations=50)
    assert shifted["accuracy"] > 0.8 and shifted["p_value"] == pytest.approx(1 / 51)
    binomial = F.classifier_two_sample_test(real, fake + np.array([0.0, 2.0]), permutations=0)
    assert binomial["accuracy"] == shifted["accuracy"] and binomial["p_value"] < 1e-20


def test_c2st_logistic_misses_a_spread_difference_that_boosting_sees():
    rng = np.random.default_rng(7)
    real, wide = rng.standard_normal((300, 2)), 3 * rng.standard_normal((300, 2))
    linear = F.classifier_two_sample_test(real, wide, permutations=0)
    trees = F.classifier_two_sample_test(real, wide, classifier="boosting", permutations=0)
    assert linear["accuracy"] < 0.6 and trees["accuracy"] > 0.75


def test_c2st_balances_unequal_sizes():
    out = F.classifier_two_sample_test(two_clusters(0, 300), two_clusters(1, 100), permutations=0)
    assert out["n"] == 200


# ----------------------------------------------------------------------------- memorisation


def test_memorisation_flags_copies_not_fresh_samples():
    rng = np.random.default_rng(8)
    train, reference = rng.standard_normal((300, 10)), rng.standard_normal((300, 10))
    copies = train[rng.integers(0, 300, 300)] + 0.01 * rng.standard_normal((300, 10))
    fresh = rng.standard_normal((300, 10))
    copied, honest = F.memorisation(train, copies, reference), F.memorisation(train, fresh, reference)
    assert copied["ratio"] < 0.05 and copied["copy_fraction"] > 0.95 and copied["p_value"] < 1e-10
    assert honest["ratio"] == pytest.approx(1.0, abs=0.15)
    assert honest["copy_fraction"] < 0.05 and honest["p_value"] > 0.01


# ----------------------------------------------------------------------------- features


def test_features_are_the_courses():
    logs, _ = make_well_logs(50, seed=1)
    ref, _ = make_well_logs(60, seed=2)
    assert np.array_equal(F.well_log_features(logs), metrics.log_features(logs))
    scaled = F.well_log_features(ref, reference=ref)
    assert np.allclose(scaled.mean(axis=0), 0) and np.allclose(scaled.std(axis=0)[scaled.std(axis=0) > 0], 1)
    # centring changes no distance: the energy distance is the course's feature energy distance
    ed = metrics.energy_distance(F.well_log_features(logs, ref), F.well_log_features(ref, ref))
    assert ed == pytest.approx(metrics.feature_energy_distance(logs, ref, ref), rel=1e-9)
    points, _ = make_crossplot(100, seed=3)
    std = F.crossplot_features(points, points)
    assert np.allclose(std.mean(axis=0), 0) and np.allclose(std.std(axis=0), 1)


# ----------------------------------------------------------------------------- bad inputs

GOOD = np.random.default_rng(9).standard_normal((20, 2))
NAN = GOOD.copy()
NAN[3, 1] = np.nan


@pytest.mark.parametrize(
    "call",
    [
        lambda: F.precision_recall(GOOD[:, 0], GOOD),  # 1-D
        lambda: F.precision_recall(GOOD, NAN),  # not finite
        lambda: F.precision_recall(GOOD, GOOD, k=20),  # k >= n
        lambda: F.density_coverage(GOOD, GOOD, k=0),
        lambda: F.density_coverage(GOOD, np.zeros((20, 3))),  # dimensions differ
        lambda: F.mmd2_unbiased(GOOD[:1], GOOD),  # one row
        lambda: F.mmd2_unbiased(GOOD, GOOD, kernel="laplace"),
        lambda: F.mmd2_unbiased(GOOD, GOOD, bandwidth=-1.0),
        lambda: F.mmd2_unbiased(np.zeros((5, 2)), np.zeros((5, 2))),  # median distance 0
        lambda: F.kid(GOOD, GOOD, subset_size=1),
        lambda: F.kid(GOOD, GOOD, subsets=0),
        lambda: F.classifier_two_sample_test(GOOD, GOOD, folds=1),
        lambda: F.classifier_two_sample_test(GOOD, GOOD, classifier="svm"),
        lambda: F.classifier_two_sample_test(GOOD, GOOD, permutations=-1),
        lambda: F.memorisation(GOOD, GOOD, GOOD),  # reference = training set
        lambda: F.memorisation(GOOD, GOOD, np.inf * GOOD),
        lambda: F.well_log_features(np.zeros(128)),
        lambda: F.crossplot_features(GOOD, GOOD[:, :1]),
    ],
)
def test_bad_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_field_report_gathers_the_metrics_chapters_show():
    real, fake = two_clusters(0), two_clusters(1)
    collapsed = one_cluster(2)
    same, lost = F.field_report(real, fake), F.field_report(real, collapsed)
    assert set(same) == {"precision", "recall", "density", "coverage", "MMD²", "KID", "C2ST accuracy"}
    assert same["recall"] > 0.8 and lost["recall"] < 0.7  # a dropped mode loses recall
    assert abs(same["C2ST accuracy"] - 0.5) < 0.1 and lost["C2ST accuracy"] > 0.6
    assert same["MMD²"] < lost["MMD²"]
