"""The command bodies of ``article-filter``: plain-typed functions, one module per command group.

:mod:`filter.cli` builds the argparse parser and turns the parsed namespace into keyword arguments (with the
model options as a :class:`~filter.batch.job.ModelSpec` and the batch options as a
:class:`~filter.commands.common.BatchOptions`); nothing here knows argparse. Each function returns the exit
code (see :mod:`filter.commands.common`). Heavy modules (numpy and what imports it) are imported inside the
functions, so that importing these modules, as ``article-filter --help`` does, stays fast.

- :mod:`~filter.commands.documents`: ``clean``, ``classify``
- :mod:`~filter.commands.train`: ``train``, ``retrain``
- :mod:`~filter.commands.models`: ``models list|show|rollback|convert|report``
- :mod:`~filter.commands.review`: ``serve``, ``uncertain``
- :mod:`~filter.commands.data`: ``data check``, ``clickbait train|score``
"""
