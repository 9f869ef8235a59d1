"""The training wing: labelled data, data checks, corpus importers, augmentation, training, retraining and
the model registry.

It depends on the pipeline (``filter.types``, ``config``, ``segment``, ``features``, ``model``, ``store``,
``api`` ...) and the pipeline never imports it (``tests/test_architecture.py``). Nothing is re-exported
here: import the modules (``filter.training.train``, ``filter.training.registry`` ...) directly.
"""
