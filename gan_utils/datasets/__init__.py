"""The built-in data sets, one folder each: every folder registers its
:class:`~gan_utils.data.DatasetSpec` beside its plot, its quick statistics check and its
evaluation protocol (:class:`~gan_utils.data.Protocol`). The generators and the registry
live below, in :mod:`gan_utils.data` and :mod:`gan_utils.facies`; importing
:mod:`gan_utils` registers these four."""

# registered in this order (the order of listings such as ``python -m gan_utils data``)
from . import well_logs  # noqa: I001
from . import crossplot, toy_2d
from . import channels

__all__ = ["channels", "crossplot", "toy_2d", "well_logs"]
