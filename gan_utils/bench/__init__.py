"""The lab: the benchmark tables, ablation ladders, real-pass and experiment studies behind
the chapters' stored results (gan_utils/results/*.json), apart from the student library.

* :mod:`gan_utils.bench.registry`: the tables of ``python -m gan_utils bench``
  (:class:`Bench`, :data:`BENCHES`, :func:`register_bench`), exported here;
* :mod:`gan_utils.bench.experiments`: the multi-seed tables of chapters 1 to 4 (crossplot,
  well logs, ablations, conditioning), and reading and writing the stored tables
  (``load_results``, ``results_path``);
* :mod:`gan_utils.bench.channels`: chapter 5's channel tables and pCN conditioning study;
* :mod:`gan_utils.bench.gansim`: chapter 5's GANSim table;
* :mod:`gan_utils.bench.real_pass`: how often fresh real data pass every row;
* :mod:`gan_utils.bench.foundation`: wall times on this machine.

Import a name from the module that defines it. The library (every other module of
:mod:`gan_utils` but :mod:`gan_utils.cli`) never imports this package.
"""

from .registry import BENCHES, DEFAULT_BENCH, OPTIONS, Bench, Option, get_bench, register_bench

__all__ = ["BENCHES", "DEFAULT_BENCH", "OPTIONS", "Bench", "Option", "get_bench", "register_bench"]
