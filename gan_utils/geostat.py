r"""The geostatistician's baseline for facies images: truncated-Gaussian simulation
conditioned to wells.

A truncated-Gaussian model (Matheron et al. 1987; Armstrong et al. 2011) makes facies by
cutting a stationary standard Gaussian field Y at thresholds: with facies ordered
f_0, f_1, ..., f_K (mud, levee, sand), a pixel is f_k where t_{k-1} < Y <= t_k
(t_{-1} = -inf, t_K = +inf). Everything is fitted to the training images, the same
prior information the GAN sees:

1. **Thresholds** from the facies proportions: t_k = Phi^{-1}(p_0 + ... + p_k).
2. **Variogram.** The experimental indicator semivariogram of the top facies (sand)
   along and across the channel direction
   (:func:`gan_utils.image_metrics.indicator_variogram`) gives the indicator covariance
   C_I(h) = p(1 - p) - gamma_I(h). For a field cut at t, with p = P(Y > t),

   .. math::
      C_I(h) = \frac{1}{2\pi}\int_0^{\arcsin\rho(h)} \exp\Big(-\frac{t^2}{1+\sin\theta}\Big)\,d\theta,

   so each lag's Gaussian correlation rho(h) is found by inverting this monotone
   relation numerically (:func:`gaussian_correlation`). A gstools covariance model
   (Gaussian, exponential, Matérn or stable; unit sill, no nugget) is fitted to the
   Gaussian semivariogram 1 - rho(h) along and across the direction, which gives its
   range and anisotropy ratio (:meth:`gstools.CovModel.fit_variogram`).
3. **Unconditional simulation** of Y on the image grid by circulant embedding: the
   covariance on a periodic grid at least twice the image, diagonalised by the FFT
   (Dietrich & Newsam 1997; exact when the embedding's eigenvalues are non-negative).
   The grid is doubled (up to 1024) until the negative eigenvalues carry at most 0.1 %
   of the mass; those left are set to 0 (``TGModel.embedding_loss`` records it).
4. **Conditioning to wells.** The observed facies only say in which interval Y lies at
   each observed pixel. Gaussian values consistent with them are drawn from the
   truncated multivariate normal N(0, C) restricted to those intervals (Freulon & de
   Fouquet 1993) by exact Hamiltonian Monte Carlo (Pakman & Paninski 2014; default, 20
   trajectories per chain from independent univariate truncated draws, one chain per
   realisation), or by a Gibbs sampler (Geweke 1991), kept for comparison: with the
   smooth covariances these images fit, neighbouring well pixels are so correlated that
   Gibbs barely moves from its start (a test against rejection sampling shows it; HMC
   matches). The field is then conditioned to those values by simple kriging of the
   residuals (the conditional simulation that :class:`gstools.CondSRF` does:
   Y_c = Y + K (y_obs - Y_obs), K the simple-kriging weights, computed once), set
   exactly to y_obs at the observed pixels, and truncated. Observed facies are
   therefore honoured by construction.

Coordinates: images are ``(n, H, W)`` arrays of facies codes; ``angle`` is in degrees
with the convention of :mod:`gan_utils.image_metrics` (0 along a row, 90 down a column).
Lags and ranges are in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special
from scipy.integrate import cumulative_trapezoid

from .checks import check_choice, check_positive_int, check_scalar
from .image_metrics import as_facies, indicator_variogram

__all__ = [
    "MODELS",
    "TGModel",
    "fit_truncated_gaussian",
    "gaussian_correlation",
    "indicator_covariance",
    "well_observations",
    "truncated_normal",
]

MODELS = ("Gaussian", "Exponential", "Matern", "Stable")
SAMPLERS = ("hmc", "gibbs")  # for the Gaussian values at the wells
EMBEDDING_TOLERANCE = 1e-3  # accepted fraction of negative eigenvalue mass in the embedding
MAX_EMBEDDING = 1024  # largest periodic grid side tried


# ----------------------------------------------------------------------------- bigaussian link


def indicator_covariance(rho, threshold: float) -> np.ndarray:
    r"""Covariance of the indicators 1[Y(x) > t] and 1[Y(x+h) > t] of a standard
    bivariate normal pair with correlation ``rho`` (Kendall & Stuart's formula):
    (1/2pi) * integral from 0 to arcsin(rho) of exp(-t^2 / (1 + sin theta)) d theta.
    Equals p(1 - p) at rho = 1 and 0 at rho = 0 (p = P(Y > t))."""
    rho = np.clip(np.asarray(rho, dtype=float), -1.0, 1.0)
    theta = np.linspace(-np.pi / 2, np.pi / 2, 4001)
    integrand = np.exp(-(threshold**2) / (1.0 + np.sin(theta) + 1e-300)) / (2 * np.pi)
    cum = cumulative_trapezoid(integrand, theta, initial=0.0)
    cum -= np.interp(0.0, theta, cum)
    return np.interp(np.arcsin(rho), theta, cum)


def gaussian_correlation(indicator_cov, threshold: float) -> np.ndarray:
    """The inverse of :func:`indicator_covariance`: the Gaussian correlation rho in
    [-1, 1] whose indicator covariance at ``threshold`` is ``indicator_cov`` (values
    outside the attainable range are clipped to it)."""
    grid = np.linspace(-1.0, 1.0, 4001)
    cov = indicator_covariance(grid, threshold)
    return np.interp(np.asarray(indicator_cov, dtype=float), cov, grid)


# ----------------------------------------------------------------------------- truncated normal


def truncated_normal(lower, upper, rng: np.random.Generator) -> np.ndarray:
    """One draw of a standard normal truncated to (``lower``, ``upper``) per element
    (arrays of the same shape, ``lower < upper``, +-inf allowed), by the inverse CDF on
    the side of zero where the CDF keeps its precision. Where the interval lies more than
    about 38 standard deviations out (CDF 0 in double precision), the nearer bound is
    returned (just inside it: the interval is taken as (lower, upper], the facies
    convention of :meth:`TGModel.truncate`)."""
    lo, hi = np.broadcast_arrays(np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
    flip = lo > 0  # sample -X on (-hi, -lo): its CDF values are small and accurate
    a = np.where(flip, -hi, lo)
    b = np.where(flip, -lo, hi)
    fa, fb = special.ndtr(a), special.ndtr(b)
    u = rng.random(a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = special.ndtri(fa + u * (fb - fa))
    bad = ~np.isfinite(x) | (fb - fa <= 0)
    nearer = np.where(np.abs(a) < np.abs(b), a, b)
    x = np.clip(np.where(bad, nearer, x), a, b)
    # facies intervals are (lower, upper]: keep draws off the lower bound
    return np.clip(np.where(flip, -x, x), np.nextafter(lo, np.inf), hi)


# ----------------------------------------------------------------------------- observations


def well_observations(image, columns) -> tuple[np.ndarray, np.ndarray]:
    """The observations of vertical wells at ``columns`` of one ``(H, W)`` facies
    ``image``: flat pixel indices (row * W + column, as
    :func:`gan_utils.data.flat_observation` reads them) and the facies codes there."""
    img = as_facies(np.asarray(image)[None], "image")[0]
    cols = np.asarray(columns)
    if cols.ndim != 1 or len(cols) == 0 or not np.issubdtype(cols.dtype, np.integer):
        raise ValueError(f"columns must be a non-empty list of integer column indices, got {columns!r}")
    if cols.min() < 0 or cols.max() >= img.shape[1] or len(set(cols.tolist())) != len(cols):
        raise ValueError(f"columns must be distinct and lie in 0..{img.shape[1] - 1}, got {cols.tolist()}")
    rows = np.arange(img.shape[0])
    where = (rows[None, :] * img.shape[1] + cols[:, None]).ravel()
    return where, img.reshape(-1)[where]


# ----------------------------------------------------------------------------- the model


@dataclass
class TGModel:
    """A fitted truncated-Gaussian model (see the module's description).

    ``model``: the gstools covariance model of Y, in (row, column) pixel coordinates;
    ``facies``: the facies codes in the order of increasing Y; ``thresholds``: the
    K cut-offs between them; ``shape``: the image size (H, W); ``angle``: the channel
    direction the variogram was fitted along (degrees); ``fit``: the experimental
    variograms and the fit's r² (a record for plots)."""

    model: object
    facies: tuple[int, ...]
    thresholds: tuple[float, ...]
    shape: tuple[int, int]
    angle: float
    fit: dict = field(default_factory=dict, repr=False)
    jitter: float = 1e-6

    def __post_init__(self):
        rows, cols = self.shape
        m = int(2 ** np.ceil(np.log2(2 * max(rows, cols))))
        while True:  # double the periodic grid until the embedding is (nearly) exact
            d = np.fft.fftfreq(m, 1.0 / m)
            dr, dc = np.meshgrid(d, d, indexing="ij")
            cov = self.model.cov_spatial(np.stack([dr.ravel(), dc.ravel()])).reshape(m, m)
            eig = np.fft.fft2(cov).real
            #: fraction of the embedding's eigenvalue mass that is negative (set to 0)
            self.embedding_loss = float(-eig[eig < 0].sum() / np.abs(eig).sum())
            if self.embedding_loss <= EMBEDDING_TOLERANCE or m >= MAX_EMBEDDING:
                break
            m *= 2
        self._sqrt_eig = np.sqrt(np.clip(eig, 0.0, None) / (m * m))
        self._m = m

    # ------------------------------------------------------------------ simulation

    def gaussian(self, n: int, seed: int | np.random.Generator = 0) -> np.ndarray:
        """``n`` unconditional standard Gaussian fields ``(n, H, W)`` with the model's
        covariance (circulant embedding: each complex FFT gives two independent fields)."""
        n = check_positive_int(n, "n")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        rows, cols = self.shape
        out = []
        for start in range(0, (n + 1) // 2, 8):  # 8 complex fields at a time bound the memory
            k = min(8, (n + 1) // 2 - start)
            z = rng.standard_normal((k, self._m, self._m)) + 1j * rng.standard_normal((k, self._m, self._m))
            f = np.fft.fft2(self._sqrt_eig * z, axes=(1, 2))[:, :rows, :cols]
            out += [f.real, f.imag]
        return np.concatenate(out)[:n]

    def truncate(self, y: np.ndarray) -> np.ndarray:
        """Facies codes of Gaussian values ``y``: facies[k] where t_{k-1} < y <= t_k."""
        return np.asarray(self.facies)[np.searchsorted(np.asarray(self.thresholds), y)]

    def simulate(self, n: int = 50, seed: int = 0) -> np.ndarray:
        """``n`` unconditional facies realisations ``(n, H, W)``."""
        return self.truncate(self.gaussian(n, seed))

    def _intervals(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cuts = np.concatenate([[-np.inf], self.thresholds, [np.inf]])
        index = {code: k for k, code in enumerate(self.facies)}
        unknown = sorted(set(values.tolist()) - set(index))
        if unknown:
            raise ValueError(
                f"observed facies {unknown} are not among the model's facies {list(self.facies)}"
            )
        k = np.array([index[v] for v in values.tolist()])
        return cuts[k], cuts[k + 1]

    def _check_where(self, where, values) -> tuple[np.ndarray, np.ndarray]:
        w, v = np.asarray(where), np.asarray(values)
        if w.ndim != 1 or v.ndim != 1 or len(w) != len(v) or len(w) == 0:
            raise ValueError(
                f"where and values must be non-empty 1-D arrays of one length, got {w.shape} and {v.shape}"
            )
        if not np.issubdtype(w.dtype, np.integer):
            raise ValueError("where must hold integer flat pixel indices")
        size = self.shape[0] * self.shape[1]
        if w.min() < 0 or w.max() >= size or len(np.unique(w)) != len(w):
            raise ValueError(f"where must hold distinct flat pixel indices in 0..{size - 1}")
        v = as_facies(v.reshape(1, 1, -1), "values").ravel()
        return w.astype(np.int64), v

    def _cov(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        cols = self.shape[1]
        ra, ca, rb, cb = a // cols, a % cols, b // cols, b % cols
        diff = np.stack([(ra[:, None] - rb[None, :]).ravel(), (ca[:, None] - cb[None, :]).ravel()])
        return self.model.cov_spatial(diff.astype(float)).reshape(len(a), len(b))

    def gibbs(self, where, values, n: int = 50, sweeps: int = 100, seed: int | np.random.Generator = 0):
        """``(n, k)`` draws of Y at the observed pixels given their facies: the last state
        of ``n`` independent Gibbs chains (``sweeps`` sweeps each) on the truncated
        multivariate normal N(0, C + jitter I) restricted to each pixel's interval. Kept
        for comparison: with smooth covariances it hardly leaves its starting point (see
        the module's description); use :meth:`hmc`."""
        w, v = self._check_where(where, values)
        n, sweeps = check_positive_int(n, "n"), check_positive_int(sweeps, "sweeps")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        lo, hi = self._intervals(v)
        q = np.linalg.inv(self._cov(w, w) + self.jitter * np.eye(len(w)))
        d = np.diag(q).copy()
        b = -q / d[None, :]  # column i: weights giving the conditional mean of pixel i
        np.fill_diagonal(b, 0.0)
        s = 1.0 / np.sqrt(d)
        y = truncated_normal(np.broadcast_to(lo, (n, len(w))), np.broadcast_to(hi, (n, len(w))), rng)
        for _ in range(sweeps):
            for i in range(len(w)):
                mu = y @ b[:, i]
                y[:, i] = mu + s[i] * truncated_normal((lo[i] - mu) / s[i], (hi[i] - mu) / s[i], rng)
                # rescaling can round onto the lower bound; intervals are (lower, upper]
                y[:, i] = np.clip(y[:, i], np.nextafter(lo[i], np.inf), hi[i])
        return y

    def hmc(self, where, values, n: int = 50, iterations: int = 20, seed: int | np.random.Generator = 0):
        """``(n, k)`` draws of Y at the observed pixels given their facies: the last state
        of ``n`` independent chains of exact Hamiltonian Monte Carlo for the truncated
        multivariate normal (Pakman & Paninski 2014), ``iterations`` trajectories each.

        In whitened coordinates x (Y = L x, L L^T = C + jitter I) the target is a standard
        normal restricted to the polytope F x + g >= 0 (one row per finite bound of a
        pixel's facies interval). Each trajectory draws a momentum v ~ N(0, I) and follows
        x(t) = v sin t + x cos t for a time pi/2, an ellipse that is computed exactly;
        where it meets a wall, the velocity is reflected in it. No step size, no rejection;
        it moves across strongly correlated pixels in a few trajectories, where the
        pixel-by-pixel Gibbs sampler (:meth:`gibbs`) needs thousands of sweeps."""
        w, v = self._check_where(where, values)
        n, iterations = check_positive_int(n, "n"), check_positive_int(iterations, "iterations")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        lo, hi = self._intervals(v)
        chol = np.linalg.cholesky(self._cov(w, w) + self.jitter * np.eye(len(w)))
        rows_lo, rows_hi = np.flatnonzero(np.isfinite(lo)), np.flatnonzero(np.isfinite(hi))
        f = np.concatenate([chol[rows_lo], -chol[rows_hi]])  # walls: f x + g >= 0
        g = np.concatenate([-lo[rows_lo], hi[rows_hi]])
        f_norm2 = np.einsum("ij,ij->i", f, f)
        y0 = truncated_normal(np.broadcast_to(lo, (n, len(w))), np.broadcast_to(hi, (n, len(w))), rng)
        x = np.linalg.solve(chol, y0.T).T
        for _ in range(iterations):
            vel = rng.standard_normal(x.shape)
            left = np.full(n, np.pi / 2)
            for _ in range(10_000):  # bounces; a trajectory meets a few dozen walls at most
                active = left > 0
                if not active.any():
                    break
                a, b = vel[active], x[active]
                fa, fb = a @ f.T, b @ f.T  # f x(t) = fa sin t + fb cos t = r cos(t - phi)
                r = np.hypot(fa, fb)
                phi = np.arctan2(fa, fb)
                with np.errstate(invalid="ignore", divide="ignore"):
                    delta = np.arccos(np.clip(-g / r, -1.0, 1.0))
                reach = r > np.abs(g)  # the ellipse crosses wall j
                t1 = np.mod(phi - delta, 2 * np.pi)
                t2 = np.mod(phi + delta, 2 * np.pi)
                t1[(t1 < 1e-10) | ~reach] = np.inf
                t2[(t2 < 1e-10) | ~reach] = np.inf
                hits = np.minimum(t1, t2)
                j = np.argmin(hits, axis=1)
                t_hit = hits[np.arange(len(j)), j]
                t = np.minimum(t_hit, left[active])[:, None]
                new_x = a * np.sin(t) + b * np.cos(t)
                new_v = a * np.cos(t) - b * np.sin(t)
                bounce = t_hit < left[active]
                fj = f[j]
                reflect = 2 * np.einsum("ij,ij->i", new_v, fj) / f_norm2[j]
                new_v[bounce] -= reflect[bounce, None] * fj[bounce]
                x[active], vel[active] = new_x, new_v
                left[active] = np.where(bounce, left[active] - t[:, 0], 0.0)
        y = x @ chol.T
        # rounding can leave a point a hair outside its wall; intervals are (lower, upper]
        return np.clip(y, np.nextafter(lo, np.inf), hi)

    def simulate_conditional(
        self, where, values, n: int = 50, seed: int = 0, sampler: str = "hmc", steps: int | None = None
    ) -> np.ndarray:
        """``n`` facies realisations ``(n, H, W)`` that honour the observed facies
        ``values`` at flat pixel indices ``where`` (e.g. from :func:`well_observations`):
        draws of Y at the observed pixels from the truncated multivariate normal
        (``sampler``: ``"hmc"``, :meth:`hmc` with ``steps`` trajectories, default 20; or
        ``"gibbs"``, :meth:`gibbs` with ``steps`` sweeps, default 100), unconditional
        fields (:meth:`gaussian`) conditioned to them by simple kriging of the residuals,
        then truncated (see the module's description)."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):  # small matrix products: threads only fight for cores
            return self._simulate_conditional(where, values, n, seed, sampler, steps)

    def _simulate_conditional(self, where, values, n, seed, sampler, steps) -> np.ndarray:
        w, v = self._check_where(where, values)
        check_choice(sampler, SAMPLERS, "sampler")
        rng = np.random.default_rng(seed)
        if sampler == "hmc":
            y_obs = self.hmc(w, v, n, 20 if steps is None else steps, rng)
        else:
            y_obs = self.gibbs(w, v, n, 100 if steps is None else steps, rng)
        z = self.gaussian(n, rng).reshape(n, -1)
        all_pixels = np.arange(z.shape[1])
        c_ww = self._cov(w, w) + self.jitter * np.eye(len(w))
        weights = np.linalg.solve(c_ww, self._cov(w, all_pixels))  # (k, H*W) simple kriging
        y = z + (y_obs - z[:, w]) @ weights
        y[:, w] = y_obs
        return self.truncate(y).reshape(n, *self.shape)


# ----------------------------------------------------------------------------- fitting


def _default_order(codes: list[int]) -> tuple[int, ...]:
    if codes == [0, 1, 2]:
        return (0, 2, 1)  # mud, levee, sand: levees lie between mud and channel sand
    return tuple(codes)


def fit_truncated_gaussian(
    train,
    angle: float = 0.0,
    model: str = "auto",
    max_lag: int = 20,
    facies_order=None,
    max_images: int = 1024,
) -> TGModel:
    """Fit a :class:`TGModel` to training images ``(n, H, W)`` (see the module's
    description): thresholds from the facies proportions, and a gstools covariance
    model fitted to the Gaussian semivariogram implied by the top facies' indicator
    semivariogram along ``angle`` and across it, lags 1..``max_lag`` pixels, on the
    first ``max_images`` images.

    ``model``: one of :data:`MODELS`, or ``"auto"`` (the best r² of Gaussian,
    exponential and Matérn). ``facies_order``: the facies codes from low to high Y;
    by default the codes present in increasing order, except (0, 2, 1) for mud, sand and
    levee (levee between mud and sand). Needs at least two facies."""
    import gstools as gs

    x = as_facies(train, "train")[: check_positive_int(max_images, "max_images")]
    codes = sorted(np.unique(x).tolist())
    order = _default_order(codes) if facies_order is None else tuple(int(c) for c in facies_order)
    if len(order) < 2 or sorted(order) != codes:
        raise ValueError(f"facies_order must list each facies present once ({codes}), got {facies_order!r}")
    if model != "auto":
        check_choice(model, MODELS, "model")
    check_scalar(angle, "angle", integer=False, detail="of degrees")
    props = np.array([np.mean(x == c) for c in order])
    thresholds = tuple(float(t) for t in special.ndtri(np.cumsum(props)[:-1]))
    top, p_top, t_top = order[-1], props[-1], thresholds[-1]
    vario = indicator_variogram(x, angle, max_lag, sand=top)
    lags = vario["lags"].astype(float)
    gauss = {
        key: 1.0 - gaussian_correlation(p_top * (1 - p_top) - vario[key], t_top)
        for key in ("along", "across")
    }
    # gstools works in (row, column) coordinates: our direction (sin a, cos a) has the
    # rotation angle 90 - a from the row axis
    rotation = np.deg2rad(90.0 - float(angle))
    best = None
    for name in ("Gaussian", "Exponential", "Matern") if model == "auto" else (model,):
        cov = getattr(gs, name)(dim=2, var=1.0, len_scale=float(max_lag), angles=rotation)
        _, _, r2 = cov.fit_variogram(
            lags, np.stack([gauss["along"], gauss["across"]]), var=False, nugget=False, return_r2=True
        )
        if best is None or r2 > best[1]:
            best = (cov, float(r2))
    fit = {"lags": lags, "indicator": vario, "gaussian": gauss, "r2": best[1], "proportions": props}
    return TGModel(best[0], order, thresholds, tuple(x.shape[1:]), float(angle), fit)
