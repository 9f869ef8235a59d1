"""``python -m filter`` is the same as the ``article-filter`` command."""

from .cli import main

raise SystemExit(main())
